#include "vod/uploadcaps.h"

#include "core/log/logcategories.h"
#include "vod/vodcontext.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Pitwall {

UploadCaps::UploadCaps(const VodContext &context, const QString &channel)
    : m_context(context), m_channel(channel)
{
}

UploadCaps::Verdict UploadCaps::check(const QDateTime &now) const
{
    const QueueSettings &queue = m_context.config.queue;
    Verdict verdict;
    if (!queue.uploadsAllowed())
        return verdict;
    const QDateTime since = now.addDays(-1);
    StoreError error;
    const std::optional<int> uploads = m_context.store.uploadsSince(m_channel, since, {}, &error);
    if (uploads && *uploads >= queue.uploadDailyLimit) {
        verdict.reason = u"UPLOAD_DAILY_LIMIT reached: %1 uploads in 24 h"_s.arg(*uploads);
        VodListFilter all{m_channel, 0, 0};
        const auto vods = m_context.store.list(all, &error);
        QDateTime oldest = now;
        for (const VodRecord &vod : vods.value_or(QList<VodRecord>())) {
            if (vod.uploadedAt.isValid() && vod.uploadedAt >= since)
                oldest = std::min(oldest, vod.uploadedAt);
        }
        verdict.freeAt = oldest.addDays(1);
        return verdict;
    }
    const QDateTime backCatalogue = now.addDays(-queue.retainKeepNewerThanDays);
    const std::optional<int> backfill = m_context.store.uploadsSince(m_channel, since,
                                                                     backCatalogue, &error);
    if (backfill && *backfill >= queue.backfillUploadDailyLimit)
        verdict.backCatalogueBefore = backCatalogue;
    return verdict;
}

QString UploadCaps::reasonFor(const VodRecord &vod, const QDateTime &now) const
{
    const Verdict verdict = check(now);
    if (verdict.blocked())
        return verdict.reason;
    if (verdict.backCatalogueBefore.isValid() && vod.date.isValid()
        && vod.date < verdict.backCatalogueBefore)
        return u"BACKFILL_UPLOAD_DAILY_LIMIT reached for the back catalogue"_s;
    return {};
}

void UploadCaps::holdBack(const Verdict &verdict) const
{
    StoreError error;
    const auto vods = m_context.store.list(VodListFilter{m_channel, 0, 0}, &error);
    if (!vods)
        return;
    // The row the next claim would take: priority DESC, then the oldest.
    std::optional<VodRecord> next;
    for (const VodRecord &vod : *vods) {
        if (vod.state == VodState::Throttled)
            return;
        if (vod.state != VodState::Queued)
            continue;
        if (!next || vod.priority > next->priority
            || (vod.priority == next->priority && vod.date < next->date))
            next = vod;
    }
    if (!next)
        return;
    VodStateChange change{VodState::Queued, VodState::Throttled, verdict.reason, QString(), {}};
    change.changes.nextAttemptAt(verdict.freeAt);
    if (m_context.store.transition(next->id, change, &error))
        qCInfo(lcVodProcess).noquote() << next->twitchVodId << "throttled until"
                                       << verdict.freeAt.toString(Qt::ISODate) << ":"
                                       << verdict.reason;
}

} // namespace Pitwall
