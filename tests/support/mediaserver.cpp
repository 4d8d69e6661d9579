#include "mediaserver.h"

#include <QFile>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

MediaServer::MediaServer() = default;

MediaServer::~MediaServer()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

QString MediaServer::writeContent(const QByteArray &content)
{
    const QString path = m_dir.filePath(u"content-%1.bin"_s.arg(++m_files));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
        m_error = u"cannot write "_s + path;
    return path;
}

void MediaServer::addFile(const QString &path, const QByteArray &content, qint64 rate,
                          qint64 dropAt, qint64 stallAt)
{
    QJsonObject route{{u"mode"_s, u"file"_s}, {u"file"_s, writeContent(content)}, {u"rate"_s, rate}};
    if (dropAt > 0)
        route.insert(u"drop_at"_s, dropAt);
    if (stallAt > 0)
        route.insert(u"stall_at"_s, stallAt);
    m_routes.insert(path, route);
}

void MediaServer::addStatus(const QString &path, int status)
{
    m_routes.insert(path, QJsonObject{{u"mode"_s, u"status"_s}, {u"status"_s, status}});
}

void MediaServer::addProbeThen503(const QString &path, const QByteArray &content)
{
    m_routes.insert(path, QJsonObject{{u"mode"_s, u"probe-then-503"_s},
                                      {u"file"_s, writeContent(content)}});
}

void MediaServer::addHls(const QString &path, int segments, int segmentSize, qint64 rate)
{
    m_routes.insert(path, QJsonObject{{u"mode"_s, u"hls"_s}, {u"segments"_s, segments},
                                      {u"segment_size"_s, segmentSize}, {u"rate"_s, rate}});
}

bool MediaServer::start()
{
    if (!m_error.isEmpty())
        return false;
    const QString python = QStandardPaths::findExecutable(u"python3"_s);
    if (python.isEmpty()) {
        m_error = u"python3 is not on PATH"_s;
        return false;
    }
    QFile config(m_dir.filePath(u"routes.json"_s));
    if (!config.open(QIODevice::WriteOnly)
        || config.write(QJsonDocument(m_routes).toJson()) < 0) {
        m_error = u"cannot write "_s + config.fileName();
        return false;
    }
    config.close();
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_process.start(python, {QStringLiteral(PITWALL_SOURCE_DIR "/tests/support/mediaserver.py"),
                             config.fileName(), m_dir.filePath(u"requests.jsonl"_s)});
    while (m_process.waitForReadyRead(10'000) || m_process.canReadLine()) {
        if (!m_process.canReadLine())
            continue;
        const QByteArray line = m_process.readLine().trimmed();
        if (line.startsWith("PORT ")) {
            m_port = quint16(line.mid(5).toUInt());
            return m_port != 0;
        }
    }
    m_error = u"mediaserver.py did not report its port: "_s + m_process.errorString();
    return false;
}

QString MediaServer::url(const QString &path) const
{
    return u"http://127.0.0.1:%1%2"_s.arg(m_port).arg(path);
}

QList<MediaRequest> MediaServer::requests(const QString &path) const
{
    QList<MediaRequest> result;
    QFile log(m_dir.filePath(u"requests.jsonl"_s));
    if (!log.open(QIODevice::ReadOnly))
        return result;
    while (!log.atEnd()) {
        const QJsonObject entry = QJsonDocument::fromJson(log.readLine()).object();
        if (entry.isEmpty())
            continue; // a line still being written
        MediaRequest request{entry.value(u"t"_s).toDouble(), entry.value(u"method"_s).toString(),
                             entry.value(u"path"_s).toString(), entry.value(u"range"_s).toString(),
                             entry.value(u"status"_s).toInt()};
        if (path.isEmpty() || request.path == path)
            result.append(request);
    }
    return result;
}

QByteArray MediaServer::content(qint64 size, quint32 seed)
{
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator generator(seed);
    for (qint64 i = 0; i < size; i += 4) {
        const quint32 word = generator.generate();
        for (qint64 j = 0; j < 4 && i + j < size; ++j)
            bytes[i + j] = char(word >> (8 * j));
    }
    return bytes;
}
