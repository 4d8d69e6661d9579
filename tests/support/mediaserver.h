#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

// One request the media server received, as it logged it before answering.
struct MediaRequest
{
    double time = 0; // seconds since the epoch
    QString method;
    QString path;
    QString range; // the Range header, empty when none
    int status = 0;
};

// tests/support/mediaserver.py on 127.0.0.1 and a free port: the media CDN yt-dlp downloads from
// in the tests (Range/206, throttling, one dropped connection, a stalled body, fixed statuses,
// an HLS playlist). Routes are added before start(); the server is stopped on destruction.
class MediaServer
{
public:
    MediaServer();
    ~MediaServer();
    MediaServer(const MediaServer &) = delete;
    MediaServer &operator=(const MediaServer &) = delete;

    // `rate` bytes/s per response (0: unthrottled). The second request (yt-dlp's first after its
    // probe) is cut at `dropAt` when that is set; every response stops at `stallAt` and hangs.
    void addFile(const QString &path, const QByteArray &content, qint64 rate = 0,
                 qint64 dropAt = 0, qint64 stallAt = 0);
    void addStatus(const QString &path, int status);
    // The first request gets `content`, every later one 503.
    void addProbeThen503(const QString &path, const QByteArray &content);
    // `path` is the playlist; segments are `path`/<i>.ts, `segmentSize` bytes each.
    void addHls(const QString &path, int segments, int segmentSize, qint64 rate = 0);

    bool start();
    QString errorString() const { return m_error; }
    QString url(const QString &path) const;
    // Requests so far, oldest first; only those for `path` when it is given.
    QList<MediaRequest> requests(const QString &path = {}) const;

    // `size` pseudo-random bytes, the same for the same seed.
    static QByteArray content(qint64 size, quint32 seed);

private:
    QString writeContent(const QByteArray &content);

    QTemporaryDir m_dir;
    QJsonObject m_routes;
    QProcess m_process;
    quint16 m_port = 0;
    int m_files = 0;
    QString m_error;
};
