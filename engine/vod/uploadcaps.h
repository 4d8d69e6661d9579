#pragma once

#include <QDateTime>
#include <QString>

namespace Pitwall {

struct VodContext;
struct VodRecord;

// The daily upload caps of one channel (UPLOAD_DAILY_LIMIT, BACKFILL_UPLOAD_DAILY_LIMIT), counted
// on uploaded_at over the last 24 hours, so edits of unrelated columns never move them. They
// only apply while uploads are allowed at all.
class UploadCaps final
{
public:
    struct Verdict
    {
        QString reason;     // why everything waits; empty when the daily cap does not hold
        QDateTime freeAt;   // when the oldest counted upload leaves the window
        // The back-catalogue cap holds: VODs dated before this wait (invalid: it does not).
        QDateTime backCatalogueBefore;
        bool blocked() const { return !reason.isEmpty(); }
    };

    UploadCaps(const VodContext &context, const QString &channel);

    Verdict check(const QDateTime &now) const;
    // Whether this VOD must wait for a cap, and why.
    QString reasonFor(const VodRecord &vod, const QDateTime &now) const;
    // Marks the channel's next queued VOD throttled until the cap frees, so the row shows why
    // nothing moves (the claims stop anyway). Nothing when that row is throttled already.
    void holdBack(const Verdict &verdict) const;

private:
    const VodContext &m_context;
    const QString m_channel;
};

} // namespace Pitwall
