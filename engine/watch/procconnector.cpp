#include "watch/procconnector.h"

#include <QDeadlineTimer>
#include <QRandomGenerator>
#include <QSocketNotifier>

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <iterator>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/filter.h>
#include <linux/netlink.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

constexpr size_t headerSize = NLMSG_ALIGN(sizeof(nlmsghdr));
constexpr size_t eventOffset = headerSize + offsetof(cn_msg, data);
// what, cpu, timestamp and the first two pid fields of the exec/exit payloads.
constexpr size_t minimumEventSize = offsetof(proc_event, event_data) + 2 * sizeof(__kernel_pid_t);
constexpr int acknowledgementTimeoutMs = 1000;
// Bounded work per notifier activation, so an event storm cannot starve the event loop.
constexpr int maxDatagramsPerActivation = 256;

QString systemError(const QString &action, int error)
{
    return u"%1: %2"_s.arg(action, QString::fromLocal8Bit(std::strerror(error)));
}

// Lets only exec, exit and acknowledgement events through, so the forks, uid changes and
// comm changes of a busy machine never wake us up nor fill the buffer.
bool attachEventFilter(int fd)
{
    const __u32 whatOffset = __u32(eventOffset + offsetof(proc_event, what));
    // Classic BPF absolute loads read in network byte order.
    sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, whatOffset),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, htonl(proc_event::PROC_EVENT_EXEC), 3, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, htonl(proc_event::PROC_EVENT_EXIT), 2, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, htonl(proc_event::PROC_EVENT_NONE), 1, 0),
        BPF_STMT(BPF_RET | BPF_K, 0),
        BPF_STMT(BPF_RET | BPF_K, 0xffffffff),
    };
    const sock_fprog program = {static_cast<unsigned short>(std::size(code)), code};
    return ::setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &program, sizeof(program)) == 0;
}

} // namespace

ProcConnector::ProcConnector(QObject *parent)
    : QObject(parent)
{
}

ProcConnector::~ProcConnector()
{
    stop();
}

bool ProcConnector::start(QString *error)
{
    if (isRunning())
        return true;
    QString failure;
    m_fd = ::socket(PF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_CONNECTOR);
    if (m_fd < 0) {
        if (error)
            *error = systemError(u"cannot open a NETLINK_CONNECTOR socket"_s, errno);
        return false;
    }
    // SO_RCVBUFFORCE lets root exceed net.core.rmem_max; others get what rmem_max allows.
    if (::setsockopt(m_fd, SOL_SOCKET, SO_RCVBUFFORCE, &m_receiveBufferBytes,
                     sizeof(m_receiveBufferBytes)) != 0) {
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVBUF, &m_receiveBufferBytes,
                     sizeof(m_receiveBufferBytes));
    }
    sockaddr_nl address = {};
    address.nl_family = AF_NETLINK;
    address.nl_groups = CN_IDX_PROC;
    bool ok = true;
    if (::bind(m_fd, reinterpret_cast<const sockaddr *>(&address), sizeof(address)) != 0) {
        failure = systemError(u"cannot join the proc connector group (needs root or "
                              "CAP_NET_ADMIN)"_s, errno);
        ok = false;
    } else if (!attachEventFilter(m_fd)) {
        failure = systemError(u"cannot attach the proc event filter"_s, errno);
        ok = false;
    }
    // Acknowledgements reach every listener. The kernel answers with our `ack` field plus one
    // (it renumbers `seq`), so a random cookie there tells ours apart.
    m_ackCookie = QRandomGenerator::global()->generate();
    ok = ok && sendControl(PROC_CN_MCAST_LISTEN, &failure) && awaitAcknowledgement(&failure);
    if (!ok) {
        closeSocket();
        if (error)
            *error = failure;
        return false;
    }
    m_notifier = new QSocketNotifier(m_fd, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &ProcConnector::readEvents);
    return true;
}

void ProcConnector::stop()
{
    if (!isRunning())
        return;
    // Lowers the kernel's listener count, so it stops building events nobody reads.
    sendControl(PROC_CN_MCAST_IGNORE, nullptr);
    closeSocket();
}

void ProcConnector::closeSocket()
{
    delete m_notifier;
    m_notifier = nullptr;
    ::close(m_fd);
    m_fd = -1;
}

bool ProcConnector::sendControl(int operation, QString *error)
{
    const __u32 op = __u32(operation);
    alignas(nlmsghdr) char buffer[NLMSG_SPACE(sizeof(cn_msg) + sizeof(op))] = {};
    nlmsghdr header = {};
    header.nlmsg_len = NLMSG_LENGTH(sizeof(cn_msg) + sizeof(op));
    header.nlmsg_type = NLMSG_DONE;
    header.nlmsg_pid = __u32(::getpid());
    cn_msg message = {};
    message.id.idx = CN_IDX_PROC;
    message.id.val = CN_VAL_PROC;
    message.ack = m_ackCookie;
    message.len = sizeof(op);
    std::memcpy(buffer, &header, sizeof(header));
    std::memcpy(buffer + headerSize, &message, sizeof(message));
    std::memcpy(buffer + eventOffset, &op, sizeof(op));
    if (::send(m_fd, buffer, header.nlmsg_len, 0) == ssize_t(header.nlmsg_len))
        return true;
    if (error)
        *error = systemError(u"cannot send to the proc connector"_s, errno);
    return false;
}

bool ProcConnector::awaitAcknowledgement(QString *error)
{
    QDeadlineTimer deadline(acknowledgementTimeoutMs);
    alignas(nlmsghdr) char buffer[8192];
    while (!deadline.hasExpired()) {
        pollfd descriptor = {m_fd, POLLIN, 0};
        if (::poll(&descriptor, 1, int(deadline.remainingTime())) <= 0)
            continue;
        const ssize_t size = ::recv(m_fd, buffer, sizeof(buffer), 0);
        int ackError = 0;
        if (size > 0 && dispatch(buffer, size, false, &ackError)) {
            if (ackError == 0)
                return true;
            *error = systemError(u"the proc connector refused the subscription"_s, ackError);
            return false;
        }
    }
    *error = u"the proc connector did not acknowledge the subscription within %1 ms (it only "
             "answers listeners in the initial PID and user namespaces)"_s
                 .arg(acknowledgementTimeoutMs);
    return false;
}

void ProcConnector::readEvents()
{
    alignas(nlmsghdr) char buffer[8192];
    bool lost = false;
    for (int i = 0; i < maxDatagramsPerActivation; ++i) {
        sockaddr_nl sender = {};
        socklen_t senderSize = sizeof(sender);
        const ssize_t size = ::recvfrom(m_fd, buffer, sizeof(buffer), 0,
                                        reinterpret_cast<sockaddr *>(&sender), &senderSize);
        if (size < 0 && errno == EINTR)
            continue;
        if (size < 0 && errno == ENOBUFS) {
            lost = true;
            continue;
        }
        if (size <= 0)
            break;
        // Only the kernel (port 0) speaks for the proc connector.
        if (sender.nl_pid == 0)
            dispatch(buffer, size, true, nullptr);
    }
    if (lost)
        emit overrun();
}

bool ProcConnector::dispatch(const char *datagram, qsizetype size, bool emitEvents, int *ackError)
{
    bool acknowledged = false;
    qsizetype offset = 0;
    while (size - offset >= qsizetype(headerSize)) {
        nlmsghdr header;
        std::memcpy(&header, datagram + offset, sizeof(header));
        if (header.nlmsg_len < sizeof(header) || qsizetype(header.nlmsg_len) > size - offset)
            break;
        const char *payload = datagram + offset + headerSize;
        const size_t payloadSize = header.nlmsg_len - headerSize;
        offset += qsizetype(NLMSG_ALIGN(header.nlmsg_len));
        if (payloadSize < offsetof(cn_msg, data) + minimumEventSize)
            continue;
        cn_msg message;
        std::memcpy(&message, payload, offsetof(cn_msg, data));
        if (message.id.idx != CN_IDX_PROC || message.id.val != CN_VAL_PROC)
            continue;
        proc_event event = {};
        std::memcpy(&event, payload + offsetof(cn_msg, data),
                    std::min(sizeof(event), payloadSize - offsetof(cn_msg, data)));
        switch (event.what) {
        case proc_event::PROC_EVENT_NONE:
            if (ackError && message.ack == m_ackCookie + 1) {
                *ackError = int(event.event_data.ack.err);
                acknowledged = true;
            }
            break;
        case proc_event::PROC_EVENT_EXEC:
            if (emitEvents)
                emit execed(event.event_data.exec.process_tgid);
            break;
        case proc_event::PROC_EVENT_EXIT:
            if (emitEvents && event.event_data.exit.process_pid == event.event_data.exit.process_tgid)
                emit exited(event.event_data.exit.process_tgid);
            break;
        default:
            break;
        }
    }
    return acknowledged;
}

} // namespace Pitwall
