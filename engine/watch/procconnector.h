#pragma once

#include <QObject>
#include <QString>


class QSocketNotifier;

namespace Pitwall {

// Exec and exit events from the kernel's netlink proc connector (NETLINK_CONNECTOR,
// CN_IDX_PROC), read through a QSocketNotifier in the thread that calls start(). The kernel
// only serves listeners in its initial user, PID and network namespaces, and before Linux 6.6
// only with CAP_NET_ADMIN; elsewhere start() fails with a reason and the caller keeps to
// polling /proc. The kernel drops events when the
// socket buffer overflows (ENOBUFS): overrun() then tells the caller to rescan at once.
// Events carry pids only: the caller re-reads /proc to learn what the process is.
class ProcConnector final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProcConnector)

public:
    explicit ProcConnector(QObject *parent = nullptr);
    ~ProcConnector() override;

    // Subscribes and waits (at most about a second) for the kernel's acknowledgement, which is
    // the only way to learn that the subscription was accepted. Events that arrive before
    // start() returns are dropped: the caller scans /proc fully after starting.
    bool start(QString *error = nullptr);
    // The socket's receive buffer, applied by the next start(). The default (4 MiB) absorbs
    // bursts of thousands of spawns; a tiny one makes overruns easy to provoke.
    void setReceiveBufferSize(int bytes) { m_receiveBufferBytes = bytes; }
    // Unsubscribes (PROC_CN_MCAST_IGNORE) and closes the socket; safe to call twice.
    void stop();
    bool isRunning() const { return m_fd >= 0; }

signals:
    void execed(int pid);
    // Only for the exit of a thread group leader: thread exits are not process exits.
    void exited(int pid);
    void overrun();

private:
    bool sendControl(int operation, QString *error);
    bool awaitAcknowledgement(QString *error);
    void readEvents();
    // Returns true when `datagram` is the acknowledgement of our request; fills *ackError.
    bool dispatch(const char *datagram, qsizetype size, bool emitEvents, int *ackError);
    void closeSocket();

    int m_fd = -1;
    int m_receiveBufferBytes = 4 * 1024 * 1024;
    quint32 m_ackCookie = 0;
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace Pitwall
