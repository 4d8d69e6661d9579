// Load generator of tests/bench/relay.sh. Drives a running `pitwall --daemon` through real
// WebSocket sessions built on the relay's own protocol types (parseMessage, serialize):
//   csv      writes the rows `ingest` makes the daemon store (streams.csv, events.csv), for the
//            COPY reference and for loading a replay stream straight into the database;
//   ingest   forwarders each sending stop-and-wait batches, as the real forwarder does (send a
//            batch, wait for its ack, send the next);
//   latency  one forwarder paced to a rate, live receivers timing every event from its send;
//   replay   one live receiver reading a stored stream from cursor 0.
// Forwarder i (from 0, in --forwarder order) has one reader, 10.0.0.<i+1>:10000. Results are
// "key value" lines on stdout; any protocol error ends the run with exit code 1.
#include "relay/protocol/ipicoread.h"
#include "relay/protocol/protocollimits.h"
#include "relay/protocol/relaymessage.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QNetworkRequest>
#include <QTimer>
#include <QUuid>
#include <QWebSocket>

#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

struct Device
{
    QString id;
    QString token;
};

struct Options
{
    quint16 port = 0;
    QList<Device> forwarders;
    QList<Device> receivers;
    QString stream; // replay: the forwarder id of the stored stream (reader index 0)
    qint64 events = 0;
    int batch = 500;
    int rate = 2000;
    int intervalMs = 10;
    int seconds = 15;
    int warmupSeconds = 2;
    QString dir;
};

[[noreturn]] void die(const QString &message)
{
    std::fprintf(stderr, "bench_relay_load: %s\n", qPrintable(message));
    std::exit(1);
}

void print(const char *key, double value)
{
    std::printf("%-28s %.10g\n", key, value);
}

qint64 monotonicNs()
{
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return qint64(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval &t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// The q-quantile of unsorted samples (sorts them).
qint64 quantile(std::vector<qint64> &samples, double q)
{
    if (samples.empty())
        return 0;
    std::sort(samples.begin(), samples.end());
    return samples[std::min(samples.size() - 1, size_t(double(samples.size()) * q))];
}

QString readerIp(int forwarder)
{
    return u"10.0.0.%1:10000"_s.arg(forwarder + 1);
}

// Read `seq` of forwarder `forwarder`: an IPICO line (research §7) with a valid LRC, one of
// 2 000 chips, one read every 10 ms of reader time, as the real forwarder sends it.
ReadEvent benchEvent(int forwarder, const QString &forwarderId, qint64 seq)
{
    const QDateTime at =
            QDateTime(QDate(2026, 2, 17), QTime(10, 0), Qt::UTC).addMSecs(seq * 10);
    QByteArray line = "aa" + QByteArray::number(forwarder + 1, 16).rightJustified(2, '0')
            + QByteArray::number(0x058000000000LL + seq % 2000, 16).rightJustified(12, '0') + "0000"
            + at.toString(u"yyMMddHHmmss"_s).toLatin1()
            + QByteArray::number(at.time().msec() / 10, 16).rightJustified(2, '0');
    unsigned sum = 0;
    for (const char c : QByteArrayView(line).sliced(2))
        sum += static_cast<unsigned char>(c);
    line += QByteArray::number(sum & 0xffu, 16).rightJustified(2, '0');
    return {forwarderId, readerIp(forwarder), 1, seq,
            at.toString(u"yyyy-MM-ddTHH:mm:ss.zzz"_s), line, u"raw"_s};
}

// Runs the event loop until done() holds; false on timeout.
bool waitUntil(const std::function<bool()> &done, std::chrono::milliseconds timeout)
{
    const QDeadlineTimer deadline(timeout);
    QTimer wake; // bounds each wait below, so the deadline is checked
    wake.start(20);
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    return true;
}

// One WebSocket session of a bench device. Every text frame is parsed with the relay's parser
// and handed over with its arrival time, unless a fast path took it first; an error frame or a
// dropped connection ends the run.
class Session final : public QObject
{
public:
    using Handler = std::function<void(Session &session, qint64 arrivedNs, const Message &message)>;
    // True when it consumed the frame.
    using FastPath = std::function<bool(Session &session, qint64 arrivedNs, QStringView text)>;

    Session(const Device &device, quint16 port, const QString &path, Handler handler)
        : m_device(device), m_handler(std::move(handler))
    {
        connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
            received(monotonicNs(), text);
        });
        connect(&m_socket, &QWebSocket::disconnected, this, [this] {
            die(u"%1: connection closed: %2"_s.arg(m_device.id, m_socket.closeReason()));
        });
        QNetworkRequest request(QUrl(u"ws://127.0.0.1:%1%2"_s.arg(port).arg(path)));
        request.setRawHeader("Authorization", "Bearer " + device.token.toUtf8());
        m_socket.open(request);
        if (!waitUntil([this] { return m_socket.state() == QAbstractSocket::ConnectedState; },
                       std::chrono::seconds(10))) {
            die(u"%1: cannot connect to %2"_s.arg(m_device.id, request.url().toString()));
        }
    }
    ~Session() override { m_socket.disconnect(this); }

    void setFastPath(FastPath fastPath) { m_fastPath = std::move(fastPath); }
    const Device &device() const { return m_device; }
    QString sessionId() const { return m_sessionId; }
    void send(const Message &message) { sendText(QString::fromUtf8(serialize(message))); }
    void sendText(const QString &text) { m_socket.sendTextMessage(text); }

    // Sends `hello` and waits until `answered` holds.
    void greet(const Message &hello, const std::function<bool()> &answered)
    {
        send(hello);
        if (!waitUntil(answered, std::chrono::minutes(10)))
            die(u"%1: no answer to %2"_s.arg(m_device.id, messageKind(hello)));
    }

private:
    void received(qint64 arrived, const QString &text)
    {
        if (m_fastPath && m_fastPath(*this, arrived, text))
            return;
        const ParseResult parsed = parseMessage(text.toUtf8());
        const auto *message = std::get_if<Message>(&parsed);
        if (!message) {
            die(u"%1: unparseable frame: %2"_s.arg(m_device.id,
                                                  std::get<ParseError>(parsed).toString()));
        }
        if (const auto *error = std::get_if<ErrorMessage>(message))
            die(u"%1: error frame: %2 %3"_s.arg(m_device.id, errorCodeName(error->code), error->message));
        if (const auto *heartbeat = std::get_if<Heartbeat>(message); heartbeat && m_sessionId.isEmpty())
            m_sessionId = heartbeat->sessionId;
        if (m_handler)
            m_handler(*this, arrived, *message);
    }

    const Device m_device;
    Handler m_handler;
    FastPath m_fastPath;
    QWebSocket m_socket;
    QString m_sessionId;
};

// Connects forwarder `index` and says hello; returns once the heartbeat carried the session id.
std::unique_ptr<Session> openForwarder(const Device &device, int index, quint16 port,
                                       Session::Handler handler)
{
    auto session = std::make_unique<Session>(device, port, u"/ws/v1/forwarders"_s,
                                             std::move(handler));
    Session *raw = session.get();
    session->greet(ForwarderHello{device.id, {readerIp(index)}, std::nullopt},
                   [raw] { return !raw->sessionId().isEmpty(); });
    return session;
}

// What a bench receiver reads of an event: its seq and raw_frame.
struct ScannedEvent
{
    qint64 seq = 0;
    QByteArray rawFrame;
};

// The events of a receiver_event_batch frame, read straight off its text; nullopt for any other
// frame. Qt's JSON parser costs the client about as much CPU per event as the server spends on
// it, on the same two cores, and a single-threaded client parsing ten receivers' frames in turn
// would add its own queueing to the latency it measures. Each event carries one raw_frame and
// one seq, in that order (sorted keys); the server escapes quotes inside strings, so these keys
// cannot occur inside a value.
std::optional<QList<ScannedEvent>> scanBatch(QStringView text)
{
    if (!text.contains(u"\"kind\":\"receiver_event_batch\""))
        return std::nullopt;
    const auto digitsAt = [&text](qsizetype at) {
        qsizetype end = at;
        while (end < text.size() && text.at(end).isDigit())
            ++end;
        return end;
    };
    QList<ScannedEvent> events;
    const QStringView frameKey = u"\"raw_frame\":[";
    const QStringView seqKey = u"\"seq\":";
    for (qsizetype at = text.indexOf(frameKey); at >= 0; at = text.indexOf(frameKey, at)) {
        ScannedEvent event;
        at += frameKey.size();
        while (at < text.size() && text.at(at) != u']') {
            const qsizetype end = digitsAt(at);
            event.rawFrame += char(text.sliced(at, end - at).toInt());
            at = end < text.size() && text.at(end) == u',' ? end + 1 : end;
        }
        at = text.indexOf(seqKey, at);
        if (at < 0)
            die(u"an event batch without seq: %1"_s.arg(text.left(200)));
        at += seqKey.size();
        event.seq = text.sliced(at, digitsAt(at) - at).toLongLong();
        events.append(std::move(event));
    }
    return events;
}

// A receiver in live mode on the stream of `forwarderId`'s reader 0, with no cursor and epoch 1
// as its earliest, acking every batch as a real receiver does. Returns once
// receiver_mode_applied arrived, that is after the replay of what is stored; *helloNs is when
// the hello was sent.
using BatchHandler = std::function<void(qint64 arrivedNs, const QList<ScannedEvent> &events)>;
std::unique_ptr<Session> openReceiver(const Device &device, const QString &forwarderId,
                                      quint16 port, BatchHandler onBatch,
                                      qint64 *helloNs = nullptr)
{
    auto applied = std::make_shared<bool>(false);
    auto session = std::make_unique<Session>(
            device, port, u"/ws/v1.2/receivers"_s,
            [applied](Session &, qint64, const Message &message) {
                if (std::holds_alternative<ReceiverModeApplied>(message))
                    *applied = true;
            });
    const StreamRef stream{forwarderId, readerIp(0)};
    session->setFastPath([stream, onBatch = std::move(onBatch)](Session &self, qint64 arrived,
                                                                 QStringView text) {
        const std::optional<QList<ScannedEvent>> events = scanBatch(text);
        if (!events)
            return false;
        if (!events->isEmpty()) {
            onBatch(arrived, *events);
            self.send(ReceiverAck{self.sessionId(), {{stream.forwarderId, stream.readerIp, 1,
                                                      events->last().seq}}});
        }
        return true;
    });
    if (helloNs)
        *helloNs = monotonicNs();
    session->greet(ReceiverHelloV12{device.id,
                                    LiveMode{{stream}, {{stream.forwarderId, stream.readerIp, 1}}},
                                    {}},
                   [applied] { return *applied; });
    return session;
}

// The highest seq an ack confirms for the session's one reader.
qint64 ackedSeq(const ForwarderAck &ack)
{
    qint64 seq = 0;
    for (const AckEntry &entry : ack.entries)
        seq = std::max(seq, entry.lastSeq);
    return seq;
}

int runCsv(const Options &options)
{
    QDir().mkpath(options.dir);
    QFile streams(options.dir + u"/streams.csv"_s);
    QFile events(options.dir + u"/events.csv"_s);
    if (!streams.open(QIODevice::WriteOnly) || !events.open(QIODevice::WriteOnly))
        die(u"cannot write into %1"_s.arg(options.dir));
    const qint64 perForwarder = options.events / options.forwarders.size();
    for (int i = 0; i < options.forwarders.size(); ++i) {
        const QString forwarderId = options.forwarders.at(i).id;
        const QByteArray streamId = QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
        streams.write(streamId + ',' + forwarderId.toUtf8() + ',' + readerIp(i).toUtf8() + '\n');
        for (qint64 seq = 1; seq <= perForwarder; ++seq) {
            const ReadEvent event = benchEvent(i, forwarderId, seq);
            const std::optional<IpicoRead> read = parseIpicoLine(event.rawFrame);
            if (!read)
                die(u"bench frame does not parse: %1"_s.arg(QString::fromLatin1(event.rawFrame)));
            events.write(streamId + ",1," + QByteArray::number(seq) + ','
                         + event.readerTimestamp.toLatin1() + ",\\x" + event.rawFrame.toHex() + ','
                         + event.readType.toLatin1() + ',' + read->tagId.toLatin1() + '\n');
        }
    }
    print("csv_rows", double(perForwarder * options.forwarders.size()));
    return 0;
}

int runIngest(const Options &options)
{
    struct Lane
    {
        std::unique_ptr<Session> session;
        QStringList batches; // serialized up front: the timed part costs the client little
        qsizetype acked = 0;
        qint64 sentNs = 0;
        qint64 ackedSeq = 0;
    };
    const qint64 perForwarder = options.events / options.forwarders.size();
    std::vector<qint64> ackMicros;
    std::vector<Lane> lanes(options.forwarders.size());
    for (int i = 0; i < int(lanes.size()); ++i) {
        Lane &lane = lanes[i];
        lane.session = openForwarder(
                options.forwarders.at(i), i, options.port,
                [&lane, &ackMicros](Session &self, qint64 arrived, const Message &message) {
                    const auto *ack = std::get_if<ForwarderAck>(&message);
                    if (!ack)
                        return;
                    ackMicros.push_back((arrived - lane.sentNs) / 1000);
                    lane.ackedSeq = ackedSeq(*ack);
                    if (++lane.acked < lane.batches.size()) {
                        lane.sentNs = monotonicNs();
                        self.sendText(lane.batches.at(lane.acked));
                    }
                });
        for (qint64 first = 1; first <= perForwarder; first += options.batch) {
            QList<ReadEvent> events;
            for (qint64 seq = first; seq <= std::min(perForwarder, first + options.batch - 1); ++seq)
                events.append(benchEvent(i, lane.session->device().id, seq));
            const ForwarderEventBatch batch{lane.session->sessionId(),
                                            u"b-%1"_s.arg(lane.batches.size() + 1), events};
            lane.batches.append(QString::fromUtf8(serialize(batch)));
        }
    }
    const double cpu = cpuSeconds();
    const qint64 start = monotonicNs();
    for (Lane &lane : lanes) {
        lane.sentNs = monotonicNs();
        lane.session->sendText(lane.batches.first());
    }
    const bool done = waitUntil(
            [&lanes] {
                return std::all_of(lanes.begin(), lanes.end(), [](const Lane &lane) {
                    return lane.acked == lane.batches.size();
                });
            },
            std::chrono::minutes(10));
    const double seconds = double(monotonicNs() - start) / 1e9;
    if (!done)
        die(u"not every batch was acked within 10 minutes"_s);
    for (const Lane &lane : lanes) {
        if (lane.ackedSeq != perForwarder)
            die(u"%1: last ack confirms seq %2, expected %3"_s.arg(lane.session->device().id)
                        .arg(lane.ackedSeq).arg(perForwarder));
    }
    const qint64 events = perForwarder * qint64(lanes.size());
    print("ingest_events", double(events));
    print("ingest_seconds", seconds);
    print("ingest_events_per_s", double(events) / seconds);
    print("batch_ack_ms_p50", double(quantile(ackMicros, 0.50)) / 1000);
    print("batch_ack_ms_p99", double(quantile(ackMicros, 0.99)) / 1000);
    print("client_cpu_s", cpuSeconds() - cpu);
    return 0;
}

int runLatency(const Options &options)
{
    const Device &forwarder = options.forwarders.first();
    const qint64 total = qint64(options.rate) * options.seconds;
    const qint64 warmup = qint64(options.rate) * options.warmupSeconds;
    qint64 generated = 0;
    qint64 sent = 0;
    bool inFlight = false;
    qint64 sentNs = 0;
    qint64 lastSendNs = 0;
    qint64 delivered = 0;
    std::vector<qint64> ackMicros;
    std::vector<qint64> latencyMicros;

    std::unique_ptr<Session> session;
    // Stop-and-wait like the real forwarder: what is due goes out once the last batch is acked,
    // at most the protocol's largest batch at a time (after a long ack, the rest follows).
    const auto sendDue = [&] {
        if (inFlight || sent == generated)
            return;
        const qint64 last = std::min(generated, sent + ProtocolLimits::MaxArrayItems);
        QList<ReadEvent> events;
        for (qint64 seq = sent + 1; seq <= last; ++seq)
            events.append(benchEvent(0, forwarder.id, seq));
        // After the IPICO token, so the line still parses: the send time for the receivers.
        const QByteArray stamp = ' ' + QByteArray::number(monotonicNs());
        for (ReadEvent &event : events)
            event.rawFrame += stamp;
        sent = last;
        inFlight = true;
        sentNs = lastSendNs = monotonicNs();
        session->send(ForwarderEventBatch{session->sessionId(), u"b-%1"_s.arg(sent), events});
    };
    session = openForwarder(forwarder, 0, options.port,
                            [&](Session &, qint64 arrived, const Message &message) {
                                if (!std::holds_alternative<ForwarderAck>(message))
                                    return;
                                ackMicros.push_back((arrived - sentNs) / 1000);
                                inFlight = false;
                                sendDue();
                            });
    std::vector<std::unique_ptr<Session>> receivers;
    for (const Device &receiver : options.receivers) {
        receivers.push_back(openReceiver(
                receiver, forwarder.id, options.port,
                [&](qint64 arrived, const QList<ScannedEvent> &events) {
                    for (const ScannedEvent &event : events) {
                        ++delivered;
                        if (event.seq <= warmup)
                            continue;
                        const QByteArray &frame = event.rawFrame;
                        const qint64 sentAt = frame.mid(frame.indexOf(' ') + 1).toLongLong();
                        latencyMicros.push_back((arrived - sentAt) / 1000);
                    }
                }));
    }

    const qint64 start = monotonicNs();
    QTimer pacer;
    pacer.setTimerType(Qt::PreciseTimer);
    // The due count follows the clock, so a late tick does not lower the rate.
    QObject::connect(&pacer, &QTimer::timeout, [&] {
        generated = std::min(total, (monotonicNs() - start) * options.rate / 1'000'000'000);
        sendDue();
        if (generated == total)
            pacer.stop();
    });
    pacer.start(options.intervalMs);
    const qint64 expected = total * qint64(receivers.size());
    if (!waitUntil([&] { return generated == total && !inFlight && delivered == expected; },
                   std::chrono::seconds(options.seconds + 60))) {
        die(u"receivers got %1 of %2 events"_s.arg(delivered).arg(expected));
    }
    print("latency_events_sent", double(total));
    print("latency_receivers", double(receivers.size()));
    print("latency_rate_events_per_s", double(total) * 1e9 / double(lastSendNs - start));
    print("latency_batches", double(ackMicros.size()));
    print("latency_samples", double(latencyMicros.size()));
    print("latency_us_p50", double(quantile(latencyMicros, 0.50)));
    print("latency_us_p99", double(quantile(latencyMicros, 0.99)));
    print("latency_us_p999", double(quantile(latencyMicros, 0.999)));
    print("latency_us_max", double(latencyMicros.empty() ? 0 : latencyMicros.back()));
    print("latency_ack_us_p50", double(quantile(ackMicros, 0.50)));
    print("latency_ack_us_p99", double(quantile(ackMicros, 0.99)));
    return 0;
}

int runReplay(const Options &options)
{
    qint64 received = 0;
    qint64 lastSeq = 0;
    qint64 lastNs = 0;
    qint64 helloNs = 0;
    const double cpu = cpuSeconds();
    // Count and order of every event are checked; its bytes were checked by the ingest phase.
    const auto session = openReceiver(
            options.receivers.first(), options.stream, options.port,
            [&](qint64 arrived, const QList<ScannedEvent> &events) {
                for (const ScannedEvent &event : events) {
                    if (event.seq != lastSeq + 1)
                        die(u"replay sent seq %1 after %2"_s.arg(event.seq).arg(lastSeq));
                    lastSeq = event.seq;
                }
                received += events.size();
                lastNs = arrived;
            },
            &helloNs);
    const qint64 appliedNs = monotonicNs();
    if (received != options.events)
        die(u"replay delivered %1 events, expected %2"_s.arg(received).arg(options.events));
    const double seconds = double(lastNs - helloNs) / 1e9;
    print("replay_events", double(received));
    print("replay_seconds", seconds);
    print("replay_events_per_s", double(received) / seconds);
    print("replay_mode_applied_s", double(appliedNs - helloNs) / 1e9);
    print("client_cpu_s", cpuSeconds() - cpu);
    return 0;
}

QList<Device> devices(const QStringList &values)
{
    QList<Device> out;
    for (const QString &value : values) {
        const qsizetype equals = value.indexOf(u'=');
        out.append(equals < 0 ? Device{value, {}} : Device{value.left(equals), value.mid(equals + 1)});
    }
    return out;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Relay load generator of tests/bench/relay.sh"_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"mode"_s, u"csv, ingest, latency or replay"_s);
    const QCommandLineOption port(u"port"_s, u"daemon port"_s, u"port"_s);
    const QCommandLineOption forwarder(u"forwarder"_s, u"a forwarder device, repeated"_s, u"id=token"_s);
    const QCommandLineOption receiver(u"receiver"_s, u"a receiver device, repeated"_s, u"id=token"_s);
    const QCommandLineOption stream(u"stream"_s, u"replay: forwarder id of the stored stream"_s, u"id"_s);
    const QCommandLineOption events(u"events"_s, u"events in total (ingest, csv) or expected (replay)"_s, u"n"_s);
    const QCommandLineOption batch(u"batch"_s, u"events per ingest batch"_s, u"n"_s, u"500"_s);
    const QCommandLineOption rate(u"rate"_s, u"latency: events per second"_s, u"n"_s, u"2000"_s);
    const QCommandLineOption interval(u"interval-ms"_s, u"latency: pacing tick"_s, u"ms"_s, u"10"_s);
    const QCommandLineOption seconds(u"seconds"_s, u"latency: duration"_s, u"s"_s, u"15"_s);
    const QCommandLineOption warmup(u"warmup-seconds"_s, u"latency: not sampled"_s, u"s"_s, u"2"_s);
    const QCommandLineOption dir(u"dir"_s, u"csv: output directory"_s, u"dir"_s);
    parser.addOptions({port, forwarder, receiver, stream, events, batch, rate, interval, seconds,
                       warmup, dir});
    parser.process(app);

    Options options;
    options.port = quint16(parser.value(port).toUInt());
    options.forwarders = devices(parser.values(forwarder));
    options.receivers = devices(parser.values(receiver));
    options.stream = parser.value(stream);
    options.events = parser.value(events).toLongLong();
    options.batch = std::max(1, parser.value(batch).toInt());
    options.rate = std::max(1, parser.value(rate).toInt());
    options.intervalMs = std::max(1, parser.value(interval).toInt());
    options.seconds = std::max(1, parser.value(seconds).toInt());
    options.warmupSeconds = std::max(0, parser.value(warmup).toInt());
    options.dir = parser.value(dir);

    const QString mode = parser.positionalArguments().value(0);
    const bool needsForwarders = mode == u"csv" || mode == u"ingest" || mode == u"latency";
    const bool needsReceivers = mode == u"latency" || mode == u"replay";
    if ((needsForwarders && options.forwarders.isEmpty())
        || (needsReceivers && options.receivers.isEmpty())
        || ((mode == u"csv" || mode == u"ingest") && options.events < 1)) {
        parser.showHelp(2);
    }
    const QHash<QString, std::function<int(const Options &)>> modes{
            {u"csv"_s, runCsv}, {u"ingest"_s, runIngest}, {u"latency"_s, runLatency},
            {u"replay"_s, runReplay}};
    if (!modes.contains(mode))
        parser.showHelp(2);
    const int code = modes.value(mode)(options);
    // All of this process, set-up included, for the script's CPU accounting of the phase.
    print("process_cpu_s", cpuSeconds());
    return code;
}
