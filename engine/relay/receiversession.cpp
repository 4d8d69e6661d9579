#include "relay/receiversession.h"

#include "core/log/logcategories.h"
#include "relay/cursorstore.h"
#include "relay/eventstore.h"
#include "relay/metricsrefresher.h"
#include "relay/relaymetrics.h"
#include "relay/sessionregistry.h"
#include "relay/storageworkers.h"
#include "relay/storesql.h"
#include "relay/streamhub.h"
#include "relay/streamstore.h"

#include <QSet>
#include <QWebSocket>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

using PendingAcks = QHash<QPair<QString, qint64>, qint64>;

StoreError saveCursors(const RelayContext &ctx, const QString &receiverId,
                       const PendingAcks &acks)
{
    StoreError error;
    for (auto it = acks.cbegin(); it != acks.cend(); ++it) {
        if (!StoreSql::retryWhileBusy(&error, [&] {
                return ctx.cursors.upsertCursor(receiverId, it.key().first, it.key().second,
                                                it.value(), &error);
            })) {
            break;
        }
    }
    return error;
}

struct Page
{
    std::optional<QList<StoredEvent>> rows;
    StoreError error;
};

ReadEvent readEvent(const StoredEvent &row, const StreamInfo &stream)
{
    return {stream.forwarderId, stream.readerIp, row.streamEpoch, row.seq,
            row.readerTimestamp.value_or(QString()), row.rawFrame, row.readType};
}

QString subscriptionKey(const StreamInfo &stream, const ReplayCursor &cursor)
{
    // Targeted replays may name several epochs of one stream; live ones follow the stream.
    return cursor.onlyEpoch() ? stream.streamId + u'#' + QString::number(*cursor.onlyEpoch())
                              : stream.streamId;
}

} // namespace

ReceiverSession::ReceiverSession(RelayContext &context, std::unique_ptr<QWebSocket> socket,
                                 QByteArray authorization, Protocol protocol)
    : RelaySession(context, std::move(socket), std::move(authorization), DeviceType::Receiver)
    , m_protocol(protocol)
{
    m_ackTimer.setSingleShot(true);
    m_ackTimer.setInterval(this->context().settings.cursorFlushInterval);
    connect(&m_ackTimer, &QTimer::timeout, this, &ReceiverSession::flushAcks);
    connect(&this->socket(), &QWebSocket::bytesWritten, this, [this] {
        if (m_waitingForDrain
            && this->socket().bytesToWrite() <= this->context().settings.maxSendQueueBytes / 2) {
            m_waitingForDrain = false;
            readNext();
        }
    });
}

void ReceiverSession::authenticated()
{
    context().registry.addReceiver(this);
}

void ReceiverSession::failExpectingHello()
{
    fail(ErrorCode::ProtocolError, m_protocol == Protocol::V12 ? u"expected receiver_hello_v12"_s
                                                               : u"expected receiver_hello"_s);
}

bool ReceiverSession::acceptHello(const QString &receiverId)
{
    m_helloSeen = true;
    if (!receiverId.isEmpty() && receiverId != identity().deviceId) {
        fail(ErrorCode::IdentityMismatch, u"hello receiver_id does not match token claims"_s);
        return false;
    }
    startHeartbeats();
    return true;
}

void ReceiverSession::handleInvalidFrame(const ParseError &error)
{
    if (!m_helloSeen) {
        failExpectingHello();
        return;
    }
    fail(ErrorCode::ProtocolError, u"invalid JSON in message: %1"_s.arg(error.toString()));
}

void ReceiverSession::handleMessage(Message message)
{
    if (!m_helloSeen) {
        if (const auto *hello = std::get_if<ReceiverHelloV12>(&message);
            hello && m_protocol == Protocol::V12) {
            helloV12(*hello);
        } else if (const auto *legacy = std::get_if<ReceiverHello>(&message);
                   legacy && m_protocol == Protocol::Legacy) {
            helloLegacy(*legacy);
        } else {
            failExpectingHello();
        }
        return;
    }
    if (const auto *acks = std::get_if<ReceiverAck>(&message)) {
        ack(*acks);
    } else if (const auto *more = std::get_if<ReceiverSubscribe>(&message);
               more && m_protocol == Protocol::Legacy) {
        subscribe(ReceiverRequest{more->streams, {}, {}, {}}, {});
    } else if (std::holds_alternative<ReceiverHelloV12>(message)
               || std::holds_alternative<ReceiverHello>(message)) {
        fail(ErrorCode::ProtocolError, u"mid-session mode changes are not supported"_s);
    } else if (!std::holds_alternative<Heartbeat>(message)) {
        fail(ErrorCode::ProtocolError, u"unexpected message kind"_s);
    }
}

void ReceiverSession::helloLegacy(const ReceiverHello &hello)
{
    if (!acceptHello(hello.receiverId))
        return;
    // v1 subscribes the streams its resume cursors name.
    ReceiverRequest request;
    for (const ResumeCursor &resume : hello.resume)
        request.streams.append({resume.forwarderId, resume.readerIp});
    request.resume = hello.resume;
    subscribe(request, {});
}

void ReceiverSession::helloV12(const ReceiverHelloV12 &hello)
{
    if (!acceptHello(hello.receiverId))
        return;
    ReceiverRequest request;
    request.resume = hello.resume;
    QString summary;
    if (const auto *live = std::get_if<LiveMode>(&hello.mode)) {
        request.streams = live->streams;
        request.earliestEpochs = live->earliestEpochs;
        summary = u"live (%1 streams)"_s.arg(live->streams.size());
    } else if (const auto *targeted = std::get_if<TargetedReplayMode>(&hello.mode)) {
        request.targets = targeted->targets;
        m_followLive = false;
        m_persistAcks = false;
        summary = u"targeted_replay (%1 targets)"_s.arg(targeted->targets.size());
    } else {
        const auto &race = std::get<RaceMode>(hello.mode);
        m_followLive = false;
        m_persistAcks = false;
        summary = u"race (%1)"_s.arg(race.raceId);
        m_warnings.append(u"race mode is not available on this server yet: no streams resolved"_s);
    }
    subscribe(request, summary);
}

void ReceiverSession::subscribe(const ReceiverRequest &request, const QString &summary)
{
    if (!summary.isEmpty())
        m_summary = summary;
    setBusy(true);
    const RelayContext &ctx = context();
    ctx.workers.run<ReceiverRequest::Resolved>(
            workerKey(), this,
            [&ctx, receiverId = identity().deviceId, request] {
                return request.resolve(ctx, receiverId);
            },
            [this](ReceiverRequest::Resolved resolved) { subscribed(std::move(resolved)); });
}

void ReceiverSession::subscribed(ReceiverRequest::Resolved resolved)
{
    if (resolved.error.kind != StoreError::Kind::None) {
        storageFailed(resolved.error);
        return;
    }
    m_warnings += resolved.warnings;
    for (ReceiverRequest::Resolved::Stream &stream : resolved.streams) {
        const QString key = subscriptionKey(stream.info, stream.cursor);
        if (m_subscriptions.contains(key))
            continue;
        m_order.append(key);
        m_streamByRef.insert(ReceiverRequest::refKey(stream.info.forwarderId, stream.info.readerIp),
                             stream.info.streamId);
        Subscription &subscription = m_subscriptions[key];
        subscription.info = stream.info;
        subscription.cursor = stream.cursor;
        if (m_followLive)
            context().hub.subscribe(stream.info.streamId, this);
        queueRead(subscription);
    }
    setBusy(false);
    readNext();
}

void ReceiverSession::queueRead(Subscription &subscription)
{
    if (subscription.queued)
        return;
    subscription.queued = true;
    subscription.live = false;
    m_reads.enqueue(subscriptionKey(subscription.info, subscription.cursor));
}

void ReceiverSession::readNext()
{
    if (m_reading || isClosing())
        return;
    // Replay waits for the socket to drain: the send queue stays bounded without closing.
    if (socket().bytesToWrite() > context().settings.maxSendQueueBytes / 2) {
        m_waitingForDrain = true;
        return;
    }
    if (m_reads.isEmpty()) {
        if (!m_applied)
            initialReplayDone();
        return;
    }
    const QString key = m_reads.dequeue();
    Subscription &subscription = m_subscriptions[key];
    subscription.queued = false;
    subscription.dirty = false;
    m_reading = true;
    const RelayContext &ctx = context();
    ctx.workers.run<Page>(
            workerKey(), this,
            [&ctx, streamId = subscription.info.streamId,
             from = subscription.cursor.readPosition(), epoch = subscription.cursor.onlyEpoch()] {
                Page page;
                page.rows = ctx.events.eventsFrom(streamId, from, epoch, ctx.settings.replayBatch,
                                                  &page.error);
                return page;
            },
            [this, key](Page page) {
                m_reading = false;
                if (!page.rows) {
                    storageFailed(page.error);
                    return;
                }
                pageRead(key, std::move(*page.rows));
            });
}

void ReceiverSession::pageRead(const QString &key, QList<StoredEvent> rows)
{
    Subscription &subscription = m_subscriptions[key];
    QList<ReadEvent> due;
    for (const StoredEvent &row : std::as_const(rows)) {
        const EventKey position{row.streamEpoch, row.seq};
        if (subscription.cursor.isDue(position)) {
            due.append(readEvent(row, subscription.info));
            subscription.cursor.advance(position);
        } else {
            subscription.cursor.markRead(position);
        }
    }
    const bool full = rows.size() == context().settings.replayBatch;
    const bool pastBound = !rows.isEmpty()
            && subscription.cursor.isPastBound({rows.last().streamEpoch, rows.last().seq});
    const bool more = (full && !pastBound) || subscription.dirty;
    // The next page is read from the store while this one is serialized and sent.
    if (more) {
        queueRead(subscription);
        readNext();
    }
    if (!due.isEmpty())
        sendBatch(due.size(), eventsArray(due), true);
    if (isClosing() || more)
        return;
    subscription.live = m_followLive;
    readNext();
}

void ReceiverSession::initialReplayDone()
{
    m_applied = true;
    if (m_protocol == Protocol::Legacy)
        return;
    send(ReceiverModeApplied{m_summary, qint64(m_subscriptions.size()), m_warnings});
    if (!m_followLive)
        return;
    QStringList streamIds;
    for (const QString &key : std::as_const(m_order))
        streamIds.append(m_subscriptions.value(key).info.streamId);
    const RelayContext &ctx = context();
    ctx.workers.run<MetricsRefresher::Snapshot>(
            workerKey(), this, [&ctx, streamIds] { return MetricsRefresher::read(ctx.events, streamIds); },
            [this](MetricsRefresher::Snapshot snapshot) {
                for (const auto &[streamId, metrics] : std::as_const(snapshot))
                    metricsChanged(streamId, metrics);
            });
}

void ReceiverSession::sendBatch(qsizetype count, const QByteArray &eventsJson, bool replay)
{
    if (isClosing())
        return;
    const qint64 queued = socket().bytesToWrite();
    if (!replay && queued > context().settings.maxSendQueueBytes) {
        context().metrics.slowReceiversClosed.inc();
        fail(ErrorCode::SessionExpired,
             u"send queue full (%1 bytes unsent): receiver too slow; reconnect to resume from "
             "the acknowledged cursor"_s.arg(queued));
        return;
    }
    (replay ? context().metrics.eventsReplayed : context().metrics.eventsDelivered)
            .inc(double(count));
    sendText(receiverEventBatch(eventsJson, sessionId()));
}

void ReceiverSession::streamAdvanced(const QString &streamId, const LiveEvents *events)
{
    if (isClosing() || !m_followLive)
        return;
    const auto it = m_subscriptions.find(streamId);
    if (it == m_subscriptions.end())
        return;
    Subscription &subscription = *it;
    if (!subscription.live) {
        subscription.dirty = true;
        return;
    }
    if (!events) {
        queueRead(subscription);
        readNext();
        return;
    }
    QList<ReadEvent> due;
    for (const ReadEvent &event : events->events()) {
        const EventKey position{event.streamEpoch, event.seq};
        if (subscription.cursor.isDue(position)) {
            due.append(event);
            subscription.cursor.advance(position);
        }
    }
    if (due.size() == events->events().size())
        sendBatch(due.size(), events->json(), false);
    else if (!due.isEmpty())
        sendBatch(due.size(), eventsArray(due), false);
}

void ReceiverSession::readerStatusChanged(const QString &streamId, const QString &readerIp,
                                          bool connected)
{
    if (m_protocol == Protocol::V12 && m_subscriptions.contains(streamId))
        send(ReaderStatusChanged{streamId, readerIp, connected});
}

void ReceiverSession::metricsChanged(const QString &streamId, const StreamMetrics &metrics)
{
    const auto it = m_subscriptions.constFind(streamId);
    if (m_protocol == Protocol::V12 && m_applied && m_followLive && it != m_subscriptions.cend())
        send(wireMetrics(it->info, metrics));
}

ReceiverStreamMetrics ReceiverSession::wireMetrics(const StreamInfo &stream,
                                                   const StreamMetrics &metrics) const
{
    ReceiverStreamMetrics wire;
    wire.forwarderId = stream.forwarderId;
    wire.readerIp = stream.readerIp;
    wire.rawCount = metrics.rawCount;
    wire.dedupCount = metrics.dedupCount;
    wire.retransmitCount = metrics.retransmitCount;
    wire.lagMs = metrics.lagMs;
    wire.epochRawCount = metrics.epochRawCount;
    wire.epochDedupCount = metrics.epochDedupCount;
    wire.epochRetransmitCount = metrics.epochRetransmitCount;
    wire.epochLagMs = metrics.epochLagMs;
    if (metrics.epochLastReceivedAt.isValid())
        wire.epochLastReceivedAt = metrics.epochLastReceivedAt.toString(Qt::ISODateWithMs);
    wire.uniqueChips = metrics.uniqueChips;
    return wire;
}

void ReceiverSession::ack(const ReceiverAck &ack)
{
    context().metrics.receiverAcks.inc();
    if (!m_persistAcks)
        return;
    for (const AckEntry &entry : ack.entries) {
        const QString streamId = m_streamByRef.value(ReceiverRequest::refKey(entry.forwarderId, entry.readerIp));
        if (streamId.isEmpty() || entry.streamEpoch < 1)
            continue; // not a stream of this session: ignored, as the reference does
        qint64 &seq = m_pendingAcks[{streamId, entry.streamEpoch}];
        seq = std::max(seq, entry.lastSeq);
    }
    if (!m_ackTimer.isActive())
        m_ackTimer.start();
}

void ReceiverSession::flushAcks()
{
    if (m_ackInFlight || m_pendingAcks.isEmpty())
        return;
    m_ackInFlight = true;
    const RelayContext &ctx = context();
    ctx.workers.run<StoreError>(
            workerKey(), this,
            [&ctx, receiverId = identity().deviceId, acks = std::exchange(m_pendingAcks, {})] {
                return saveCursors(ctx, receiverId, acks);
            },
            [this](StoreError error) {
                m_ackInFlight = false;
                // A lost cursor write only means a few duplicates after the next reconnect.
                if (error.kind != StoreError::Kind::None)
                    qCWarning(lcRelay).noquote() << "receiver" << identity().deviceId
                                                 << "cursor not saved:" << error.message;
                if (!m_pendingAcks.isEmpty() && !m_ackTimer.isActive())
                    m_ackTimer.start();
            });
}

void ReceiverSession::storageFailed(const StoreError &error)
{
    qCWarning(lcRelay).noquote() << "storage failed for receiver" << identity().deviceId << ":"
                                 << error.message;
    fail(ErrorCode::InternalError, u"database unavailable"_s);
}

void ReceiverSession::closed()
{
    context().hub.unsubscribe(this);
    context().registry.removeReceiver(this);
    // Acks that arrived last still reach the table, after any write in flight (same worker).
    if (!m_pendingAcks.isEmpty()) {
        const RelayContext &ctx = context();
        ctx.workers.post(workerKey(), [&ctx, receiverId = identity().deviceId,
                                       acks = std::exchange(m_pendingAcks, {})] {
            saveCursors(ctx, receiverId, acks);
        });
    }
}

} // namespace Pitwall
