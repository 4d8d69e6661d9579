#include "relay/receiverrequest.h"

#include "relay/cursorstore.h"
#include "relay/eventstore.h"
#include "relay/relaycontext.h"
#include "relay/streamstore.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

QString refText(const QString &forwarderId, const QString &readerIp)
{
    return forwarderId + u':' + readerIp;
}

bool firstSight(QSet<QString> &seen, const QString &key)
{
    if (seen.contains(key))
        return false;
    seen.insert(key);
    return true;
}

// Live and legacy subscriptions: per-epoch persisted cursors, else the earliest-epoch override,
// else the current epoch; a hello resume cursor only raises them, and only when it does not lie
// beyond what is stored (research §1.8, scenario 10).
std::optional<ReceiverRequest::Resolved::Stream>
resolveLive(const RelayContext &ctx, const QString &receiverId, const StreamInfo &info,
            const ReceiverRequest &request, StoreError *error)
{
    const auto persisted = ctx.cursors.cursors(error, receiverId, info.streamId);
    if (!persisted)
        return std::nullopt;
    QMap<qint64, qint64> cursors;
    for (const ReceiverCursor &cursor : *persisted)
        cursors.insert(cursor.streamEpoch, cursor.lastSeq);
    qint64 floor = info.streamEpoch;
    for (const EarliestEpochOverride &earliest : request.earliestEpochs) {
        if (earliest.forwarderId == info.forwarderId && earliest.readerIp == info.readerIp)
            floor = earliest.earliestEpoch;
    }
    if (!cursors.isEmpty())
        floor = cursors.firstKey();
    ReplayCursor cursor(floor, cursors);
    std::optional<EventKey> last;
    for (const ResumeCursor &resume : request.resume) {
        if (resume.forwarderId != info.forwarderId || resume.readerIp != info.readerIp
            || resume.streamEpoch < floor) {
            continue;
        }
        if (!last && !(last = ctx.events.lastKey(info.streamId, std::nullopt, error)))
            return std::nullopt;
        if (EventKey{resume.streamEpoch, resume.lastSeq} <= *last)
            cursor.raise(resume.streamEpoch, resume.lastSeq);
    }
    return ReceiverRequest::Resolved::Stream{info, cursor};
}

} // namespace

QString ReceiverRequest::refKey(const QString &forwarderId, const QString &readerIp)
{
    return forwarderId + u'\n' + readerIp;
}

ReceiverRequest::Resolved ReceiverRequest::resolve(const RelayContext &ctx,
                                                   const QString &receiverId) const
{
    Resolved out;
    const auto find = [&](const QString &forwarderId, const QString &readerIp,
                          const QString &warning) -> std::optional<StreamInfo> {
        StoreError error;
        std::optional<StreamInfo> info = ctx.streams.find(forwarderId, readerIp, &error);
        if (!info && error.kind == StoreError::Kind::NotFound)
            out.warnings.append(warning.arg(refText(forwarderId, readerIp)));
        else if (!info)
            out.error = error;
        return info;
    };
    QSet<QString> seen;
    for (const ReplayTarget &target : targets) {
        if (!firstSight(seen, refKey(target.forwarderId, target.readerIp)
                                      + u"\n%1\n%2"_s.arg(target.streamEpoch).arg(target.fromSeq))) {
            continue;
        }
        const auto info = find(target.forwarderId, target.readerIp,
                               u"ignored replay_target for unknown stream %1"_s);
        if (out.error.kind != StoreError::Kind::None)
            return out;
        if (!info)
            continue;
        const auto last = ctx.events.lastKey(info->streamId, target.streamEpoch, &out.error);
        if (!last)
            return out;
        out.streams.append({*info, ReplayCursor::targeted(target.streamEpoch, target.fromSeq,
                                                          last->seq)});
    }
    for (const StreamRef &ref : streams) {
        if (!firstSight(seen, refKey(ref.forwarderId, ref.readerIp)))
            continue;
        const auto info = find(ref.forwarderId, ref.readerIp, u"stream not found for %1"_s);
        if (out.error.kind != StoreError::Kind::None)
            return out;
        if (!info)
            continue;
        auto stream = resolveLive(ctx, receiverId, *info, *this, &out.error);
        if (!stream)
            return out;
        out.streams.append(*stream);
    }
    return out;
}

} // namespace Pitwall
