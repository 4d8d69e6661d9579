#pragma once

#include "relay/protocol/relaymessage.h"

#include <QList>
#include <QObject>
#include <QStringList>
#include <QTimer>
#include <QWebSocket>

#include <memory>

// A forwarder client that behaves like the reference forwarder's uplink (research §1.4): it keeps
// a journal of reads in memory, sends them in stop-and-wait batches (one batch, then its ack),
// prunes the journal only on forwarder_ack, and after any disconnect (error frame, dropped
// socket, ack timeout) reconnects with doubling backoff and resends from the first unacked read.
// Runs on the test's event loop; tests wait on allAcked() with QTRY_*.
class JournalForwarder final : public QObject
{
    Q_OBJECT

public:
    JournalForwarder(QString token, QString readerIp, int batchSize = 500,
                     QObject *parent = nullptr);

    // Connects (and keeps reconnecting) to ws://127.0.0.1:<port>/ws/v1/forwarders.
    void start(quint16 port);
    // Closes for good: no reconnect.
    void stop();
    // Adds reads to the journal; they are sent once everything before them is acked.
    void append(const QList<Pitwall::ReadEvent> &events);

    qsizetype journalSize() const { return m_journal.size(); }
    qsizetype acked() const { return m_acked; }
    bool allAcked() const { return m_acked == m_journal.size(); }
    // Sessions that got as far as the server's first heartbeat.
    int sessions() const { return m_sessions; }
    int disconnects() const { return m_disconnects; }
    QList<Pitwall::ErrorMessage> errors() const { return m_errors; }
    // Acks that did not acknowledge exactly the batch in flight; empty when all went well.
    QStringList problems() const { return m_problems; }

private:
    void connectNow();
    void connected();
    void received(const QString &text);
    void acknowledged(const Pitwall::ForwarderAck &ack);
    void sendNextBatch();
    void dropped();

    const QString m_token;
    const QString m_readerIp;
    const int m_batchSize;
    quint16 m_port = 0;
    bool m_running = false;
    std::unique_ptr<QWebSocket> m_socket;
    QString m_sessionId;
    QList<Pitwall::ReadEvent> m_journal;
    qsizetype m_acked = 0;
    qsizetype m_inFlight = 0; // reads of the batch waiting for its ack
    int m_batches = 0;
    int m_sessions = 0;
    int m_disconnects = 0;
    std::chrono::milliseconds m_backoff;
    QTimer m_reconnect;
    QTimer m_ackTimeout;
    QList<Pitwall::ErrorMessage> m_errors;
    QStringList m_problems;
};
