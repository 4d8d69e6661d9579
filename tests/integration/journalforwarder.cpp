#include "journalforwarder.h"

#include <QNetworkRequest>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

// The reference backs off from 1 s to 30 s; a tenth of a second to one keeps tests quick while
// still hammering a daemon that is down with no more than a few attempts per second.
constexpr std::chrono::milliseconds firstBackoff{100};
constexpr std::chrono::milliseconds maxBackoff{1000};
// The reference's ack_timeout_secs is 30; a test batch that waits 10 s is a hung session.
constexpr std::chrono::seconds ackTimeout{10};

} // namespace

JournalForwarder::JournalForwarder(QString token, QString readerIp, int batchSize, QObject *parent)
    : QObject(parent)
    , m_token(std::move(token))
    , m_readerIp(std::move(readerIp))
    , m_batchSize(batchSize)
    , m_backoff(firstBackoff)
{
    m_reconnect.setSingleShot(true);
    connect(&m_reconnect, &QTimer::timeout, this, &JournalForwarder::connectNow);
    m_ackTimeout.setSingleShot(true);
    m_ackTimeout.setInterval(ackTimeout);
    connect(&m_ackTimeout, &QTimer::timeout, this, [this] {
        m_problems.append(
                u"no ack for batch %1 within %2 s"_s.arg(m_batches).arg(ackTimeout.count()));
        if (m_socket)
            m_socket->abort();
    });
}

void JournalForwarder::start(quint16 port)
{
    m_port = port;
    m_running = true;
    connectNow();
}

void JournalForwarder::stop()
{
    m_running = false;
    m_reconnect.stop();
    m_ackTimeout.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->close();
        m_socket.reset();
    }
}

void JournalForwarder::append(const QList<ReadEvent> &events)
{
    m_journal += events;
    if (m_inFlight == 0 && !m_sessionId.isEmpty())
        sendNextBatch();
}

void JournalForwarder::connectNow()
{
    if (!m_running)
        return;
    m_sessionId.clear();
    m_inFlight = 0;
    m_socket = std::make_unique<QWebSocket>();
    connect(m_socket.get(), &QWebSocket::connected, this, &JournalForwarder::connected);
    connect(m_socket.get(), &QWebSocket::textMessageReceived, this, &JournalForwarder::received);
    connect(m_socket.get(), &QWebSocket::disconnected, this, &JournalForwarder::dropped,
            Qt::QueuedConnection);
    QNetworkRequest request(QUrl(u"ws://127.0.0.1:%1/ws/v1/forwarders"_s.arg(m_port)));
    request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    m_socket->open(request);
}

void JournalForwarder::connected()
{
    m_socket->sendTextMessage(QString::fromUtf8(serialize(ForwarderHello{{}, {m_readerIp}, {}})));
}

void JournalForwarder::received(const QString &text)
{
    ParseResult parsed = parseMessage(text.toUtf8());
    const auto *message = std::get_if<Message>(&parsed);
    if (!message) {
        m_problems.append(u"unparseable frame: "_s + text.left(200));
        return;
    }
    const auto *heartbeat = std::get_if<Heartbeat>(message);
    if (heartbeat && m_sessionId.isEmpty()) {
        m_sessionId = heartbeat->sessionId;
        ++m_sessions;
        m_backoff = firstBackoff;
        sendNextBatch();
    } else if (const auto *ack = std::get_if<ForwarderAck>(message)) {
        acknowledged(*ack);
    } else if (const auto *error = std::get_if<ErrorMessage>(message)) {
        m_errors.append(*error);
    }
}

void JournalForwarder::acknowledged(const ForwarderAck &ack)
{
    m_ackTimeout.stop();
    if (m_inFlight == 0) {
        m_problems.append(u"ack without a batch in flight"_s);
        return;
    }
    const ReadEvent &last = m_journal.at(m_acked + m_inFlight - 1);
    const QList<AckEntry> expected{{{}, m_readerIp, last.streamEpoch, last.seq}};
    QList<AckEntry> entries = ack.entries;
    for (AckEntry &entry : entries)
        entry.forwarderId.clear(); // the token's id, which this client does not need to know
    if (entries != expected || ack.sessionId != m_sessionId) {
        m_problems.append(u"batch %1 (up to seq %2) got an unexpected ack: %3"_s.arg(m_batches)
                                  .arg(last.seq)
                                  .arg(QString::fromUtf8(serialize(ack))));
    }
    m_acked += m_inFlight;
    m_inFlight = 0;
    sendNextBatch();
}

void JournalForwarder::sendNextBatch()
{
    if (m_inFlight > 0 || m_acked == m_journal.size())
        return;
    const QList<ReadEvent> events = m_journal.mid(m_acked, m_batchSize);
    m_inFlight = events.size();
    ++m_batches;
    m_socket->sendTextMessage(QString::fromUtf8(
            serialize(ForwarderEventBatch{m_sessionId, u"b-%1"_s.arg(m_batches), events})));
    m_ackTimeout.start();
}

void JournalForwarder::dropped()
{
    m_ackTimeout.stop();
    ++m_disconnects;
    // Whatever was in flight is resent from the first unacked read on the next session.
    m_inFlight = 0;
    m_sessionId.clear();
    if (m_socket)
        m_socket.release()->deleteLater();
    if (!m_running)
        return;
    m_reconnect.start(m_backoff);
    m_backoff = std::min(m_backoff * 2, maxBackoff);
}
