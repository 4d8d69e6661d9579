#pragma once

#include "watch/trackedprocess.h"

#include <QDateTime>
#include <QHash>
#include <QSet>
#include <QString>

#include <chrono>

namespace Pitwall {

struct RetryPolicy
{
    std::chrono::milliseconds base{1000};
    std::chrono::milliseconds cap{60000};
    int maxAttempts = 5; // MAX_RETRY_ATTEMPTS
};

// Failed attach attempts per process incarnation (pid, start time), with exponential backoff:
// after the n-th failure the next attempt is due base * 2^(n-1) later, at most `cap`.
// `maxAttempts` counts RETRIES (MAX_RETRY_ATTEMPTS): the first attempt plus that many retries
// may fail before the key is exhausted, so 0 means "never retry". An exhausted key stays
// exhausted until forgotten: the engine forgets a key when the process exits (or its pid now
// belongs to another incarnation) and after a successful attach, so nothing loops forever
// and a reused pid starts from scratch.
class RetryTracker final
{
public:
    using Policy = RetryPolicy;

    explicit RetryTracker(RetryPolicy policy = {});

    // A reload may change MAX_RETRY_ATTEMPTS; entries keep their counts and deadlines.
    void setPolicy(const RetryPolicy &policy);
    const RetryPolicy &policy() const { return m_policy; }

    // True when an attempt may be made now: no failure recorded yet, or the backoff is over
    // and the key is not exhausted.
    bool due(const ProcessKey &key, const QDateTime &now) const;
    void recordFailure(const ProcessKey &key, const QDateTime &now, const QString &reason);
    bool exhausted(const ProcessKey &key) const;
    void forget(const ProcessKey &key);
    // For exit events, which carry a pid but no start time.
    void forgetPid(int pid);
    // After a full scan: drops every key that is not among the live ones.
    void retainOnly(const QSet<ProcessKey> &live);

    int failures(const ProcessKey &key) const;       // 0 when unknown
    QDateTime nextAttemptAt(const ProcessKey &key) const; // invalid when unknown
    QString lastReason(const ProcessKey &key) const;
    qsizetype size() const { return m_entries.size(); }

    // The delay after the given number of failures (1 = after the first failure).
    std::chrono::milliseconds backoffAfter(int failures) const;

private:
    struct Entry
    {
        int failures = 0;
        QDateTime nextAttemptAt;
        QString lastReason;
    };

    RetryPolicy m_policy;
    QHash<ProcessKey, Entry> m_entries;
};

} // namespace Pitwall
