#include "relay/forwardersession.h"

#include "core/log/logcategories.h"
#include "relay/eventbroadcaster.h"
#include "relay/eventstore.h"
#include "relay/metricsrefresher.h"
#include "relay/peernotifier.h"
#include "relay/protocol/ipicoread.h"
#include "relay/relaymetrics.h"
#include "relay/sessionregistry.h"
#include "relay/storageworkers.h"
#include "relay/storesql.h"
#include "relay/streamhub.h"
#include "relay/streamstore.h"

#include <QJsonObject>
#include <QSet>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

struct HelloOutcome
{
    QList<StreamInfo> streams; // every stream of the forwarder, after the hello
    QSet<QString> created;     // stream ids new with this hello
    StoreError error;
};

// Creates the streams of these readers (online), returns every stream of the forwarder.
HelloOutcome storeReaders(const RelayContext &context, const QString &forwarderId,
                          const QStringList &readerIps, const std::optional<QString> &displayName)
{
    HelloOutcome outcome;
    for (const QString &readerIp : readerIps) {
        const std::optional<StreamRecord> record =
                StoreSql::retryWhileBusy(&outcome.error, [&] {
                    return context.events.ensureStream(forwarderId, readerIp, &outcome.error);
                });
        if (!record)
            return outcome;
        if (record->created)
            outcome.created.insert(record->streamId);
    }
    if (!StoreSql::retryWhileBusy(&outcome.error, [&] {
            return context.streams.markOnline(forwarderId, readerIps, displayName,
                                              &outcome.error);
        })) {
        return outcome;
    }
    if (auto streams = context.streams.forForwarder(forwarderId, &outcome.error))
        outcome.streams = *streams;
    return outcome;
}

IngestEvent ingestEvent(const ReadEvent &event)
{
    const std::optional<IpicoRead> read = parseIpicoLine(event.rawFrame);
    return {event.streamEpoch,
            event.seq,
            event.readerTimestamp,
            event.rawFrame,
            event.readType,
            read ? std::optional<QString>(read->tagId) : std::nullopt};
}

} // namespace

struct ForwarderSession::BatchOutcome
{
    struct PerStream
    {
        QString readerIp;
        IngestResult result;
        QList<ReadEvent> canonical; // as stored, with the stream's own forwarder id and reader
    };
    HelloOutcome readers; // streams created for readers the hello did not name
    QList<PerStream> streams;
    StoreError error;
};

ForwarderSession::ForwarderSession(RelayContext &context, std::unique_ptr<QWebSocket> socket,
                                   QByteArray authorization)
    : RelaySession(context, std::move(socket), std::move(authorization), DeviceType::Forwarder)
{
}

void ForwarderSession::authenticated()
{
    context().registry.addForwarder(this);
}

void ForwarderSession::replaceWithNewer()
{
    fail(ErrorCode::ProtocolError, u"replaced by a newer session of this device"_s);
}

void ForwarderSession::handleInvalidFrame(const ParseError &error)
{
    if (!m_helloSeen && error.messageKind != ForwarderHello::kind) {
        fail(ErrorCode::ProtocolError, error.kind == ParseError::Kind::InvalidJson
                     ? u"invalid JSON in hello message"_s
                     : u"expected forwarder_hello"_s);
        return;
    }
    fail(ErrorCode::ProtocolError, u"invalid JSON in message: %1"_s.arg(error.toString()));
}

void ForwarderSession::handleMessage(Message message)
{
    if (const auto *hello = std::get_if<ForwarderHello>(&message)) {
        this->hello(*hello);
        return;
    }
    if (!m_helloSeen) {
        fail(ErrorCode::ProtocolError, u"expected forwarder_hello"_s);
        return;
    }
    if (const auto *events = std::get_if<ForwarderEventBatch>(&message))
        batch(*events);
    else if (const auto *update = std::get_if<ReaderStatusUpdate>(&message))
        readerStatus(*update);
    else if (!std::holds_alternative<Heartbeat>(message))
        qCDebug(lcRelay).noquote() << "forwarder" << identity().deviceId << "sent"
                                   << messageKind(message) << "- ignored";
}

void ForwarderSession::hello(const ForwarderHello &hello)
{
    if (!hello.forwarderId.isEmpty() && hello.forwarderId != identity().deviceId) {
        fail(ErrorCode::IdentityMismatch, u"hello forwarder_id does not match token claims"_s);
        return;
    }
    m_displayName = hello.displayName;
    setBusy(true);
    const RelayContext &ctx = context();
    const QString forwarderId = identity().deviceId;
    ctx.workers.run<HelloOutcome>(
            workerKey(), this,
            [&ctx, forwarderId, hello] {
                return storeReaders(ctx, forwarderId, hello.readerIps, hello.displayName);
            },
            [this](HelloOutcome outcome) {
                if (outcome.error.kind != StoreError::Kind::None) {
                    storageFailed(outcome.error);
                    return;
                }
                helloStored(outcome.streams, outcome.created);
                // Heartbeat first (research §1.4): the session id the batches carry.
                if (!m_helloSeen) {
                    m_helloSeen = true;
                    startHeartbeats();
                } else {
                    send(Heartbeat{sessionId(), identity().deviceId});
                }
                for (const StreamInfo &stream : std::as_const(m_streams)) {
                    if (stream.pendingEpoch && *stream.pendingEpoch > stream.streamEpoch)
                        sendEpochReset(stream.readerIp, *stream.pendingEpoch);
                }
                setBusy(false);
            });
}

void ForwarderSession::helloStored(const QList<StreamInfo> &streams, const QSet<QString> &created)
{
    EventBroadcaster &broadcaster = context().broadcaster;
    for (const StreamInfo &stream : streams) {
        if (created.contains(stream.streamId)) {
            QJsonObject event = stream.toJson();
            event.insert(u"type"_s, u"stream_created"_s);
            broadcaster.publish(event);
        } else {
            broadcaster.publish(QJsonObject{
                    {u"type"_s, u"stream_updated"_s},
                    {u"stream_id"_s, stream.streamId},
                    {u"online"_s, stream.online},
                    {u"forwarder_display_name"_s, stream.forwarderDisplayName
                             ? QJsonValue(*stream.forwarderDisplayName) : QJsonValue()}});
        }
        if (stream.online)
            m_streams.insert(stream.readerIp, stream);
    }
}

void ForwarderSession::batch(const ForwarderEventBatch &batch)
{
    if (!batch.sessionId.isEmpty() && batch.sessionId != sessionId()) {
        fail(ErrorCode::ProtocolError,
             u"session_id %1 does not match this session (%2)"_s.arg(batch.sessionId,
                                                                      sessionId()));
        return;
    }
    QElapsedTimer elapsed;
    elapsed.start();
    setBusy(true);
    // Group by reader, keeping the batch's order within each reader.
    QStringList order;
    QHash<QString, QList<ReadEvent>> byReader;
    for (const ReadEvent &event : batch.events) {
        if (!byReader.contains(event.readerIp))
            order.append(event.readerIp);
        byReader[event.readerIp].append(event);
    }
    QStringList unknown;
    for (const QString &readerIp : std::as_const(order)) {
        if (!m_streams.contains(readerIp))
            unknown.append(readerIp);
    }
    const RelayContext &ctx = context();
    const QString forwarderId = identity().deviceId;
    ctx.workers.run<BatchOutcome>(
            workerKey(), this,
            [&ctx, forwarderId, order, byReader, unknown, known = m_streams,
             displayName = m_displayName] {
                BatchOutcome outcome;
                QHash<QString, StreamInfo> streams = known;
                if (!unknown.isEmpty()) {
                    outcome.readers = storeReaders(ctx, forwarderId, unknown, displayName);
                    if (outcome.readers.error.kind != StoreError::Kind::None) {
                        outcome.error = outcome.readers.error;
                        return outcome;
                    }
                    for (const StreamInfo &stream : std::as_const(outcome.readers.streams))
                        streams.insert(stream.readerIp, stream);
                }
                for (const QString &readerIp : order) {
                    const StreamInfo stream = streams.value(readerIp);
                    const QList<ReadEvent> &events = byReader[readerIp];
                    QList<IngestEvent> ingest;
                    ingest.reserve(events.size());
                    for (const ReadEvent &event : events)
                        ingest.append(ingestEvent(event));
                    std::optional<IngestResult> result =
                            StoreSql::retryWhileBusy(&outcome.error, [&] {
                                return ctx.events.ingest(stream.streamId, ingest, &outcome.error,
                                                         ctx.peers.announcement(stream.streamId));
                            });
                    if (!result)
                        return outcome;
                    BatchOutcome::PerStream done{readerIp, *result, {}};
                    for (const qsizetype index : std::as_const(result->canonical)) {
                        ReadEvent event = events.at(index);
                        event.forwarderId = stream.forwarderId;
                        event.readerIp = stream.readerIp;
                        done.canonical.append(std::move(event));
                    }
                    outcome.streams.append(std::move(done));
                }
                return outcome;
            },
            [this, elapsed](BatchOutcome outcome) { batchStored(std::move(outcome), elapsed); });
}

void ForwarderSession::batchStored(BatchOutcome outcome, const QElapsedTimer &elapsed)
{
    if (outcome.error.kind != StoreError::Kind::None) {
        storageFailed(outcome.error);
        return;
    }
    if (!outcome.readers.streams.isEmpty())
        helloStored(outcome.readers.streams, outcome.readers.created);

    ForwarderAck ack{sessionId(), {}};
    RelayMetrics &metrics = context().metrics;
    for (const BatchOutcome::PerStream &done : std::as_const(outcome.streams)) {
        const IngestResult &result = done.result;
        for (const EventKey &key : result.acks)
            ack.entries.append({identity().deviceId, done.readerIp, key.epoch, key.seq});
        metrics.eventsStored.inc(result.inserted);
        metrics.eventsRetransmitted.inc(result.retransmits);
        metrics.eventsConflicts.inc(double(result.conflicts.size()));
        metrics.eventsReceived.inc(result.inserted + result.retransmits
                                   + double(result.conflicts.size()));
        auto stream = m_streams.find(done.readerIp);
        if (stream == m_streams.end())
            continue;
        if (result.epochAdvanced) {
            stream->streamEpoch = result.streamEpoch;
            if (stream->pendingEpoch && *stream->pendingEpoch <= result.streamEpoch)
                stream->pendingEpoch.reset();
            context().broadcaster.publish(QJsonObject{{u"type"_s, u"stream_updated"_s},
                                                      {u"stream_id"_s, stream->streamId},
                                                      {u"stream_epoch"_s, result.streamEpoch}});
        }
        if (!done.canonical.isEmpty()) {
            const LiveEvents live(done.canonical);
            context().hub.publishEvents(stream->streamId, &live);
        }
        context().refresher.streamChanged(stream->streamId);
    }
    send(ack);
    metrics.batches.inc();
    metrics.forwarderAcks.inc();
    metrics.batchDuration.observe(double(elapsed.nsecsElapsed()) / 1e9);
    setBusy(false);
}

void ForwarderSession::readerStatus(const ReaderStatusUpdate &update)
{
    const auto it = m_streams.constFind(update.readerIp);
    if (it == m_streams.cend())
        return; // unknown reader: ignored, as the reference does
    const QString streamId = it->streamId;
    const RelayContext &ctx = context();
    ctx.workers.run<StoreError>(
            workerKey(), this,
            [&ctx, streamId, connected = update.connected] {
                StoreError error;
                StoreSql::retryWhileBusy(&error, [&] {
                    return ctx.streams.setReaderConnected(streamId, connected, &error);
                });
                return error;
            },
            [this, streamId, update](StoreError error) {
                if (error.kind != StoreError::Kind::None) {
                    storageFailed(error);
                    return;
                }
                m_streams[update.readerIp].readerConnected = update.connected;
                context().broadcaster.publish(QJsonObject{{u"type"_s, u"stream_updated"_s},
                                                          {u"stream_id"_s, streamId},
                                                          {u"reader_connected"_s,
                                                           update.connected}});
                context().hub.publishReaderStatus(streamId, update.readerIp, update.connected);
            });
}

void ForwarderSession::sendEpochReset(const QString &readerIp, qint64 newEpoch)
{
    auto it = m_streams.find(readerIp);
    if (it != m_streams.end())
        it->pendingEpoch = newEpoch;
    send(EpochResetCommand{sessionId(), identity().deviceId, readerIp, newEpoch});
    qCInfo(lcRelay).noquote() << u"epoch reset sent to %1 for %2: new epoch %3"_s.arg(
            identity().deviceId, readerIp).arg(newEpoch);
}

void ForwarderSession::storageFailed(const StoreError &error)
{
    // Nothing of the batch is acked, so the forwarder resends it after reconnecting.
    if (error.kind == StoreError::Kind::Invalid) {
        fail(ErrorCode::ProtocolError, error.message);
        return;
    }
    qCWarning(lcRelay).noquote() << "storage failed for forwarder" << identity().deviceId << ":"
                                 << error.message;
    const QString reason = error.kind == StoreError::Kind::Unavailable ? u"database unavailable"_s
            : error.kind == StoreError::Kind::Busy ? u"database busy"_s
                                                   : u"internal server error"_s;
    fail(ErrorCode::InternalError, reason);
}

void ForwarderSession::closed()
{
    SessionRegistry &registry = context().registry;
    if (!registry.removeForwarder(this) || identity().deviceId.isEmpty())
        return;
    // A newer session of the same forwarder owns the online flags now.
    if (registry.forwarder(identity().deviceId))
        return;
    const RelayContext &ctx = context();
    const QString forwarderId = identity().deviceId;
    const QList<StreamInfo> streams = m_streams.values();
    ctx.workers.run<StoreError>(
            workerKey(), &ctx.broadcaster,
            [&ctx, forwarderId] {
                StoreError error;
                StoreSql::retryWhileBusy(&error, [&] {
                    return ctx.streams.markOffline(forwarderId, &error);
                });
                return error;
            },
            [&ctx, streams](StoreError error) {
                if (error.kind != StoreError::Kind::None)
                    qCWarning(lcRelay).noquote() << "cannot mark streams offline:" << error.message;
                for (const StreamInfo &stream : streams) {
                    ctx.broadcaster.publish(QJsonObject{{u"type"_s, u"stream_updated"_s},
                                                        {u"stream_id"_s, stream.streamId},
                                                        {u"online"_s, false},
                                                        {u"reader_connected"_s, false}});
                }
            });
}

} // namespace Pitwall
