#pragma once

#include "relay/relaysession.h"
#include "relay/streaminfo.h"

#include <QElapsedTimer>
#include <QHash>

namespace Pitwall {

// One forwarder's uplink on /ws/v1/forwarders (research §1.4-1.7): hello registers its readers'
// streams and marks them online; each batch is stored (one transaction per stream of the batch)
// and answered with exactly one forwarder_ack after commit; new canonical events go to the
// StreamHub. Pending epoch resets are (re)sent after every hello until the new epoch's first
// event lands.
class ForwarderSession final : public RelaySession
{
    Q_OBJECT

public:
    ForwarderSession(RelayContext &context, std::unique_ptr<QWebSocket> socket,
                     QByteArray authorization);

    void sendEpochReset(const QString &readerIp, qint64 newEpoch);
    // A newer session of the same forwarder authenticated.
    void replaceWithNewer();

protected:
    void authenticated() override;
    void handleMessage(Message message) override;
    void handleInvalidFrame(const ParseError &error) override;
    void closed() override;

private:
    struct BatchOutcome;

    void hello(const ForwarderHello &hello);
    void helloStored(const QList<StreamInfo> &streams, const QSet<QString> &created);
    void batch(const ForwarderEventBatch &batch);
    void batchStored(BatchOutcome outcome, const QElapsedTimer &elapsed);
    void readerStatus(const ReaderStatusUpdate &update);
    void storageFailed(const StoreError &error);

    bool m_helloSeen = false;
    std::optional<QString> m_displayName;
    QHash<QString, StreamInfo> m_streams; // by reader_ip
};

} // namespace Pitwall
