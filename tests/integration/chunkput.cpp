#include "vod/chunkput.h"

#include <QCryptographicHash>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Pitwall;

Q_DECLARE_METATYPE(Pitwall::HttpResponse)

namespace {

constexpr qint64 MiB = 1024 * 1024;

// One connection's worth of server: reads the request head and as much of the body as its
// mode lets it, hashes the body, and answers as scripted.
class ScriptedServer final : public QObject
{
public:
    enum class Mode {
        AnswerAfterBody, // 308 Range: bytes=0-<offset+length-1>, chunked, once the body is in
        AnswerAtOnce,    // 401 right after the head
        CloseAtOnce,     // closes right after the head, no answer
        NeverRead,       // accepts and reads nothing
    };

    explicit ScriptedServer(Mode mode, QTcpServer *server)
        : m_mode(mode)
        , m_server(server)
    {
        m_server->setParent(this);
        connect(m_server, &QTcpServer::pendingConnectionAvailable, this, [this] {
            m_socket = m_server->nextPendingConnection();
            if (m_mode == Mode::NeverRead)
                m_socket->setReadBufferSize(1); // Qt would otherwise read on its own
            else
                connect(m_socket, &QTcpSocket::readyRead, this, &ScriptedServer::read);
        });
        QVERIFY(m_server->listen(QHostAddress::LocalHost));
    }

    quint16 port() const { return m_server->serverPort(); }
    const QByteArray &head() const { return m_head; }
    qint64 bodyBytes() const { return m_bodyBytes; }
    QByteArray bodySha256() const { return m_hash.result(); }

private:
    void read()
    {
        QByteArray data = m_socket->readAll();
        if (!m_headDone) {
            m_head += data;
            const qsizetype end = m_head.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            data = m_head.mid(end + 4);
            m_head.truncate(end + 4);
            m_headDone = true;
            const QByteArray length = m_head.mid(m_head.indexOf("Content-Length: ") + 16);
            m_expected = length.left(length.indexOf('\r')).toLongLong();
            if (m_mode == Mode::AnswerAtOnce) {
                // Then reads on and discards, as servers do before they close, so the
                // client's unsent bytes do not reset the connection under the answer.
                m_socket->write("HTTP/1.1 401 Unauthorized\r\nContent-Length: 7\r\n\r\nexpired");
                m_answered = true;
                return;
            }
            if (m_mode == Mode::CloseAtOnce) {
                m_socket->abort();
                return;
            }
        }
        if (m_answered)
            return;
        m_bodyBytes += data.size();
        m_hash.addData(data);
        if (m_bodyBytes == m_expected) {
            m_socket->write("HTTP/1.1 308 Resume Incomplete\r\nRange: bytes=0-"
                            + QByteArray::number(m_bodyBytes - 1)
                            + "\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nend\r\n0\r\n\r\n");
            m_socket->disconnectFromHost();
        }
    }

    const Mode m_mode;
    QTcpServer *m_server;
    QTcpSocket *m_socket = nullptr;
    QByteArray m_head;
    bool m_headDone = false;
    bool m_answered = false;
    qint64 m_expected = -1;
    qint64 m_bodyBytes = 0;
    QCryptographicHash m_hash{QCryptographicHash::Sha256};
};

struct Outcome
{
    explicit Outcome(ChunkPut &put)
        : answered(&put, &ChunkPut::answered)
        , failed(&put, &ChunkPut::failed)
        , sent(&put, &ChunkPut::bytesSent)
    {
    }

    bool ended() const { return answered.count() + failed.count() > 0; }
    HttpResponse response() const { return answered.constFirst().constFirst().value<HttpResponse>(); }
    QString error() const { return failed.constFirst().constFirst().toString(); }

    QSignalSpy answered;
    QSignalSpy failed;
    QSignalSpy sent;
};

} // namespace

// ChunkPut, the chunk sender of ResumableUpload, against scripted servers on 127.0.0.1 (plain
// and TLS with a throwaway CA): the exact bytes of the range arrive, an early refusal and a
// close are told apart, a server that stops reading trips the stall timeout, and bad requests
// never reach the wire.
class ChunkPutTest final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void sendsTheRangeAndReadsTheAnswer();
    void earlyAnswerEndsTheRequest();
    void closeWithoutAnswerFails();
    void serverThatStopsReadingStalls();
    void refusesBadRequestsBeforeConnecting_data();
    void refusesBadRequestsBeforeConnecting();
    void tlsWithTrustedCertificate();
    void tlsWithUntrustedCertificateFails();

private:
    ChunkPut::Request request(quint16 port, qint64 offset, qint64 length,
                              const QString &scheme = u"http"_s) const;
    QSslServer *tlsServer(const QString &name) const;
    QByteArray fileSha256(qint64 offset, qint64 length) const;
    void makeCertificate(const QString &name);

    QTemporaryDir m_dir;
    QString m_file;
};

void ChunkPutTest::initTestCase()
{
    qRegisterMetaType<HttpResponse>();
    QVERIFY(m_dir.isValid());
    m_file = m_dir.filePath(u"video.mp4"_s);
    QFile file(m_file);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QByteArray block(MiB, Qt::Uninitialized);
    for (int i = 0; i < 72; ++i) {
        QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(block.data()),
                                              block.size() / 4);
        QCOMPARE(file.write(block), block.size());
    }
    file.close();
    makeCertificate(u"trusted"_s);
    makeCertificate(u"stranger"_s);
    QSslConfiguration trusting = QSslConfiguration::defaultConfiguration();
    trusting.addCaCertificates(QSslCertificate::fromPath(m_dir.filePath(u"trusted.pem"_s)));
    QSslConfiguration::setDefaultConfiguration(trusting);
}

void ChunkPutTest::makeCertificate(const QString &name)
{
    QProcess openssl;
    openssl.start(u"openssl"_s, {u"req"_s, u"-x509"_s, u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s,
                                 u"-days"_s, u"1"_s, u"-subj"_s, u"/CN=127.0.0.1"_s,
                                 u"-addext"_s, u"subjectAltName=IP:127.0.0.1"_s,
                                 u"-keyout"_s, m_dir.filePath(name + u".key"_s),
                                 u"-out"_s, m_dir.filePath(name + u".pem"_s)});
    QVERIFY(openssl.waitForFinished(30000));
    QVERIFY2(openssl.exitCode() == 0, openssl.readAllStandardError().constData());
}

ChunkPut::Request ChunkPutTest::request(quint16 port, qint64 offset, qint64 length,
                                        const QString &scheme) const
{
    ChunkPut::Request request;
    request.url = QUrl(u"%1://127.0.0.1:%2/upload/youtube/v3/videos?uploadType=resumable&upload_id=s%201"_s
                               .arg(scheme)
                               .arg(port));
    request.headers = {{"Authorization", "Bearer ya29.chunk"},
                       {"Content-Range", "bytes " + QByteArray::number(offset) + '-'
                                                 + QByteArray::number(offset + length - 1)
                                                 + "/75497472"}};
    request.filePath = m_file;
    request.offset = offset;
    request.length = length;
    request.stallTimeout = std::chrono::seconds(20);
    return request;
}

QSslServer *ChunkPutTest::tlsServer(const QString &name) const
{
    auto *server = new QSslServer;
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificate(QSslCertificate::fromPath(m_dir.filePath(name + u".pem"_s)).value(0));
    QFile key(m_dir.filePath(name + u".key"_s));
    if (key.open(QIODevice::ReadOnly))
        config.setPrivateKey(QSslKey(&key, QSsl::Rsa));
    config.setPeerVerifyMode(QSslSocket::VerifyNone);
    server->setSslConfiguration(config);
    return server;
}

QByteArray ChunkPutTest::fileSha256(qint64 offset, qint64 length) const
{
    QFile file(m_file);
    if (!file.open(QIODevice::ReadOnly) || !file.seek(offset))
        return {};
    return QCryptographicHash::hash(file.read(length), QCryptographicHash::Sha256);
}

void ChunkPutTest::sendsTheRangeAndReadsTheAnswer()
{
    ScriptedServer server(ScriptedServer::Mode::AnswerAfterBody, new QTcpServer);
    const qint64 offset = 3 * MiB + 17;
    const qint64 length = 64 * MiB + 5;
    ChunkPut put(request(server.port(), offset, length));
    Outcome outcome(put);
    put.start();
    QTRY_VERIFY_WITH_TIMEOUT(outcome.ended(), 30000);
    QVERIFY2(outcome.failed.isEmpty(), qPrintable(outcome.failed.isEmpty() ? QString() : outcome.error()));

    QCOMPARE(outcome.response().status(), 308);
    QCOMPARE(outcome.response().header("Range"), "bytes=0-" + QByteArray::number(length - 1));
    QCOMPARE(outcome.response().body(), "end"_ba);
    QCOMPARE(server.bodyBytes(), length);
    QCOMPARE(server.bodySha256(), fileSha256(offset, length));
    QVERIFY(server.head().startsWith(
            "PUT /upload/youtube/v3/videos?uploadType=resumable&upload_id=s%201 HTTP/1.1\r\n"
            "Host: 127.0.0.1:" + QByteArray::number(server.port()) + "\r\n"));
    QVERIFY(server.head().contains("\r\nAuthorization: Bearer ya29.chunk\r\n"));
    QVERIFY(server.head().contains("\r\nContent-Length: " + QByteArray::number(length) + "\r\n"));

    // Progress rises and ends at the chunk's length.
    QVERIFY(!outcome.sent.isEmpty());
    qint64 last = 0;
    for (const QList<QVariant> &args : outcome.sent) {
        QVERIFY(args.constFirst().toLongLong() > last);
        last = args.constFirst().toLongLong();
    }
    QCOMPARE(last, length);
}

void ChunkPutTest::earlyAnswerEndsTheRequest()
{
    ScriptedServer server(ScriptedServer::Mode::AnswerAtOnce, new QTcpServer);
    ChunkPut put(request(server.port(), 0, 64 * MiB));
    Outcome outcome(put);
    put.start();
    QTRY_VERIFY_WITH_TIMEOUT(outcome.ended(), 30000);
    QVERIFY2(outcome.failed.isEmpty(), qPrintable(outcome.failed.isEmpty() ? QString() : outcome.error()));
    QCOMPARE(outcome.response().status(), 401);
    QCOMPARE(outcome.response().body(), "expired"_ba);
}

void ChunkPutTest::closeWithoutAnswerFails()
{
    ScriptedServer server(ScriptedServer::Mode::CloseAtOnce, new QTcpServer);
    ChunkPut put(request(server.port(), 0, 8 * MiB));
    Outcome outcome(put);
    put.start();
    QTRY_VERIFY_WITH_TIMEOUT(outcome.ended(), 30000);
    QCOMPARE(outcome.answered.count(), 0);
    QCOMPARE(outcome.failed.count(), 1);
    QVERIFY2(!outcome.error().isEmpty(), "a failure names its cause");
}

void ChunkPutTest::serverThatStopsReadingStalls()
{
    ScriptedServer server(ScriptedServer::Mode::NeverRead, new QTcpServer);
    ChunkPut::Request stalling = request(server.port(), 0, 64 * MiB);
    stalling.stallTimeout = std::chrono::milliseconds(500);
    ChunkPut put(stalling);
    Outcome outcome(put);
    put.start();
    QTRY_VERIFY_WITH_TIMEOUT(outcome.ended(), 30000);
    QCOMPARE(outcome.failed.count(), 1);
    QVERIFY2(outcome.error().contains(u"no byte moved for 500 ms"_s), qPrintable(outcome.error()));
    // The system's buffers took a part before the server stopped taking more.
    QVERIFY(outcome.sent.isEmpty() || outcome.sent.constLast().constFirst().toLongLong() < 64 * MiB);
}

void ChunkPutTest::refusesBadRequestsBeforeConnecting_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<qint64>("offset");
    QTest::addColumn<QString>("error");
    QTest::newRow("line break in a header") << "Bearer x\r\nX-Injected: 1"_ba << qint64(0)
                                            << u"Authorization header contains a line break"_s;
    QTest::newRow("range past the end") << "Bearer x"_ba << 70 * MiB << u"the file ended early"_s;
}

void ChunkPutTest::refusesBadRequestsBeforeConnecting()
{
    QFETCH(QByteArray, header);
    QFETCH(qint64, offset);
    QFETCH(QString, error);

    ScriptedServer server(ScriptedServer::Mode::AnswerAfterBody, new QTcpServer);
    ChunkPut::Request bad = request(server.port(), offset, 8 * MiB);
    bad.headers[0].second = header;
    ChunkPut put(bad);
    Outcome outcome(put);
    put.start();
    QCOMPARE(outcome.failed.count(), 0); // reported from the event loop, after start()
    QTRY_VERIFY_WITH_TIMEOUT(outcome.ended(), 30000);
    QCOMPARE(outcome.failed.count(), 1);
    QVERIFY2(outcome.error().contains(error), qPrintable(outcome.error()));
    QVERIFY(!server.head().contains("X-Injected"));
}

void ChunkPutTest::tlsWithTrustedCertificate()
{
    ScriptedServer server(ScriptedServer::Mode::AnswerAfterBody, tlsServer(u"trusted"_s));
    const qint64 length = 9 * MiB + 3;
    ChunkPut put(request(server.port(), MiB, length, u"https"_s));
    Outcome outcome(put);
    put.start();
    QTRY_VERIFY_WITH_TIMEOUT(outcome.ended(), 30000);
    QVERIFY2(outcome.failed.isEmpty(), qPrintable(outcome.failed.isEmpty() ? QString() : outcome.error()));
    QCOMPARE(outcome.response().status(), 308);
    QCOMPARE(server.bodySha256(), fileSha256(MiB, length));
    QCOMPARE(outcome.sent.constLast().constFirst().toLongLong(), length);
}

void ChunkPutTest::tlsWithUntrustedCertificateFails()
{
    ScriptedServer server(ScriptedServer::Mode::AnswerAfterBody, tlsServer(u"stranger"_s));
    ChunkPut put(request(server.port(), 0, MiB, u"https"_s));
    Outcome outcome(put);
    put.start();
    QTRY_VERIFY_WITH_TIMEOUT(outcome.ended(), 30000);
    QCOMPARE(outcome.answered.count(), 0);
    QVERIFY2(outcome.error().contains(u"certificate"_s, Qt::CaseInsensitive), qPrintable(outcome.error()));
    QCOMPARE(server.bodyBytes(), 0);
}

QTEST_GUILESS_MAIN(ChunkPutTest)
#include "chunkput.moc"
