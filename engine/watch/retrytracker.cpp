#include "watch/retrytracker.h"

#include <algorithm>

namespace Pitwall {

RetryTracker::RetryTracker(RetryPolicy policy)
    : m_policy(policy)
{
}

void RetryTracker::setPolicy(const RetryPolicy &policy)
{
    m_policy = policy;
}

std::chrono::milliseconds RetryTracker::backoffAfter(int failures) const
{
    if (failures <= 0 || m_policy.base.count() <= 0)
        return std::chrono::milliseconds(0);
    std::chrono::milliseconds delay = m_policy.base;
    // Doubling stops at the cap, so no overflow however many failures there were.
    for (int i = 1; i < failures && delay < m_policy.cap; ++i)
        delay *= 2;
    return std::min(delay, m_policy.cap);
}

bool RetryTracker::due(const ProcessKey &key, const QDateTime &now) const
{
    const auto it = m_entries.constFind(key);
    if (it == m_entries.cend())
        return true;
    return !exhausted(key) && now >= it->nextAttemptAt;
}

void RetryTracker::recordFailure(const ProcessKey &key, const QDateTime &now, const QString &reason)
{
    Entry &entry = m_entries[key];
    ++entry.failures;
    entry.lastReason = reason;
    entry.nextAttemptAt = now.addMSecs(backoffAfter(entry.failures).count());
}

bool RetryTracker::exhausted(const ProcessKey &key) const
{
    return failures(key) > m_policy.maxAttempts;
}

void RetryTracker::forget(const ProcessKey &key)
{
    m_entries.remove(key);
}

void RetryTracker::forgetPid(int pid)
{
    m_entries.removeIf([pid](const auto &entry) { return entry.key().pid == pid; });
}

void RetryTracker::retainOnly(const QSet<ProcessKey> &live)
{
    m_entries.removeIf([&live](const auto &entry) { return !live.contains(entry.key()); });
}

int RetryTracker::failures(const ProcessKey &key) const
{
    return m_entries.value(key).failures;
}

QDateTime RetryTracker::nextAttemptAt(const ProcessKey &key) const
{
    return m_entries.value(key).nextAttemptAt;
}

QString RetryTracker::lastReason(const ProcessKey &key) const
{
    return m_entries.value(key).lastReason;
}

} // namespace Pitwall
