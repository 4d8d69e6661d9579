#pragma once

#include "relay/receiverrequest.h"
#include "relay/relaysession.h"
#include "relay/replaycursor.h"
#include "relay/streaminfo.h"
#include "relay/streamlistener.h"

#include <QHash>
#include <QQueue>
#include <QTimer>

namespace Pitwall {

struct StoredEvent;

// One receiver on /ws/v1.2/receivers (or the legacy /ws/v1/receivers), research §1.8/§1.10.
// After the hello each stream is replayed from the store in batches of 500 (from the persisted
// per-epoch cursors, raised by the hello's resume), then follows live events from the
// StreamHub. Hand-off: while a stream is read from the store, live events only mark it to be
// read again, so it goes live only after a read found nothing new — no gap, no duplicate.
// Acks move the persisted cursors (live and legacy modes). The send queue is bounded: a
// receiver that cannot keep up is closed and resumes from its cursor.
class ReceiverSession final : public RelaySession, public StreamListener
{
    Q_OBJECT

public:
    enum class Protocol { V12, Legacy };

    ReceiverSession(RelayContext &context, std::unique_ptr<QWebSocket> socket,
                    QByteArray authorization, Protocol protocol);

    void streamAdvanced(const QString &streamId, const LiveEvents *events) override;
    void readerStatusChanged(const QString &streamId, const QString &readerIp,
                             bool connected) override;
    void metricsChanged(const QString &streamId, const StreamMetrics &metrics) override;

protected:
    void authenticated() override;
    void handleMessage(Message message) override;
    void handleInvalidFrame(const ParseError &error) override;
    void closed() override;

private:
    struct Subscription
    {
        StreamInfo info;
        ReplayCursor cursor;
        bool live = false;
        bool dirty = false;  // live events arrived while reading from the store
        bool queued = false; // waits in m_reads
    };

    void failExpectingHello();
    // Marks the hello seen and checks its receiver id against the token; heartbeats start.
    bool acceptHello(const QString &receiverId);
    void helloV12(const ReceiverHelloV12 &hello);
    void helloLegacy(const ReceiverHello &hello);
    void subscribe(const ReceiverRequest &request, const QString &summary);
    void subscribed(ReceiverRequest::Resolved resolved);
    void queueRead(Subscription &subscription);
    void readNext();
    void pageRead(const QString &streamId, QList<StoredEvent> rows);
    void initialReplayDone();
    // One receiver_event_batch of `count` events, already serialized.
    void sendBatch(qsizetype count, const QByteArray &eventsJson, bool replay);
    void ack(const ReceiverAck &ack);
    void flushAcks();
    ReceiverStreamMetrics wireMetrics(const StreamInfo &stream,
                                      const StreamMetrics &metrics) const;
    void storageFailed(const StoreError &error);

    const Protocol m_protocol;
    bool m_helloSeen = false;
    bool m_applied = false;
    bool m_followLive = true; // false for targeted_replay
    bool m_persistAcks = true;
    QString m_summary;
    QStringList m_warnings;
    QHash<QString, Subscription> m_subscriptions; // by stream id
    QStringList m_order;                          // stream ids in hello order
    QHash<QString, QString> m_streamByRef;        // "forwarder_id\nreader_ip" -> stream id
    QQueue<QString> m_reads;                      // streams waiting for a store read
    bool m_reading = false;
    bool m_waitingForDrain = false;
    QHash<QPair<QString, qint64>, qint64> m_pendingAcks; // (stream, epoch) -> seq
    bool m_ackInFlight = false;
    QTimer m_ackTimer; // pending acks are written when it fires
};

} // namespace Pitwall
