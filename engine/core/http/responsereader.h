#pragma once

#include "core/http/httpresponse.h"

#include <QByteArray>
#include <QString>

namespace Pitwall {

// Reads one HTTP/1.1 response from the bytes of a connection as they arrive: the status line,
// the header fields, and a body framed by Content-Length, chunked transfer coding or the end of
// the connection. Interim 1xx responses are skipped. Its limits keep a hostile or broken server
// from making it buffer without end: a client that streams large request bodies expects small
// answers (a status, a few headers, a JSON document).
class ResponseReader final
{
public:
    enum class Progress { NeedMore, Complete, Failed };

    struct Limits
    {
        qsizetype maxHeadBytes = 64 * 1024;
        qsizetype maxBodyBytes = 1024 * 1024;
    };

    ResponseReader() = default;
    explicit ResponseReader(Limits limits);

    Progress feed(QByteArrayView data);
    // The peer closed the connection: completes a body that runs until the close.
    Progress endOfStream();

    Progress progress() const;
    const HttpResponse &response() const { return m_response; }
    // What was wrong, once Failed.
    const QString &error() const { return m_error; }

private:
    enum class State { Head, FixedBody, ChunkSize, ChunkData, ChunkEnd, Trailers, UntilClose,
                       Done, Failed };

    bool step();
    bool readHead();
    bool readLine(QByteArray &line);
    bool takeBody(qint64 &remaining);
    void chunkSize(const QByteArray &line);
    bool fail(const QString &message);

    Limits m_limits;
    State m_state = State::Head;
    QByteArray m_buffer; // received, not yet consumed
    qint64 m_remaining = 0;
    HttpResponse m_response;
    QString m_error;
};

} // namespace Pitwall
