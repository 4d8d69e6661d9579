#include "core/http/responsereader.h"

#include "core/http/httptext.h"

#include <QRegularExpression>

#include <optional>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

using HttpText::withoutCr;

// Content-Length: at most 18 decimal digits, so it fits a qint64.
std::optional<qint64> contentLength(const QByteArray &value)
{
    if (!HttpText::isDigits(value, 18, 10))
        return std::nullopt;
    return value.toLongLong();
}

} // namespace

ResponseReader::ResponseReader(Limits limits)
    : m_limits(limits)
{
}

ResponseReader::Progress ResponseReader::progress() const
{
    if (m_state == State::Done)
        return Progress::Complete;
    return m_state == State::Failed ? Progress::Failed : Progress::NeedMore;
}

ResponseReader::Progress ResponseReader::feed(QByteArrayView data)
{
    if (progress() != Progress::NeedMore)
        return progress();
    m_buffer.append(data);
    while (step()) {
    }
    return progress();
}

ResponseReader::Progress ResponseReader::endOfStream()
{
    if (m_state == State::UntilClose)
        m_state = State::Done;
    else if (progress() == Progress::NeedMore)
        fail(m_state == State::Head && m_buffer.isEmpty()
                     ? u"the server closed the connection without an answer"_s
                     : u"the server closed the connection in the middle of its answer"_s);
    return progress();
}

// One parsing step; false when it needs more bytes or the answer is complete or failed.
bool ResponseReader::step()
{
    QByteArray line;
    switch (m_state) {
    case State::Head:
        return readHead();
    case State::FixedBody:
    case State::ChunkData:
        if (!takeBody(m_remaining))
            return false;
        if (m_remaining > 0)
            return false;
        m_state = m_state == State::FixedBody ? State::Done : State::ChunkEnd;
        return true;
    case State::ChunkSize:
        if (!readLine(line))
            return false;
        chunkSize(line);
        return true;
    case State::ChunkEnd:
        if (!readLine(line))
            return false;
        if (!line.isEmpty())
            return fail(u"a chunk of the answer's body is longer than its size"_s);
        m_state = State::ChunkSize;
        return true;
    case State::Trailers:
        if (!readLine(line))
            return false;
        if (line.isEmpty())
            m_state = State::Done;
        return true;
    case State::UntilClose: {
        qint64 unbounded = m_limits.maxBodyBytes + 1;
        takeBody(unbounded);
        return false;
    }
    case State::Done:
    case State::Failed:
        return false;
    }
    return false;
}

bool ResponseReader::readHead()
{
    qsizetype end = m_buffer.indexOf("\r\n\r\n");
    qsizetype separator = 4;
    if (const qsizetype lf = m_buffer.indexOf("\n\n"); lf >= 0 && (end < 0 || lf < end)) {
        end = lf;
        separator = 2;
    }
    if ((end < 0 ? m_buffer.size() : end) > m_limits.maxHeadBytes)
        return fail(u"the answer's status line and headers exceed %1 bytes"_s.arg(
                m_limits.maxHeadBytes));
    if (end < 0)
        return false;
    const QList<QByteArray> lines = m_buffer.first(end).split('\n');
    m_buffer.remove(0, end + separator);

    static const QRegularExpression statusLine(u"^HTTP/1\\.[01] ([1-5]\\d\\d)( .*)?$"_s);
    const QRegularExpressionMatch match =
            statusLine.match(QString::fromLatin1(withoutCr(lines.constFirst())));
    if (!match.hasMatch())
        return fail(u"the answer does not start with an HTTP/1.x status line"_s);
    HttpHeaders headers;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArrayView field = withoutCr(lines[i]);
        const qsizetype colon = field.indexOf(':');
        if (colon <= 0)
            return fail(u"the answer has a malformed header line"_s);
        headers.append({field.first(colon).trimmed().toByteArray(),
                        field.sliced(colon + 1).trimmed().toByteArray()});
    }
    const int status = match.captured(1).toInt();
    if (status < 200)
        return true; // an interim answer (100 Continue, 103): the real one follows

    m_response = HttpResponse(status, {}, headers);
    const QByteArray coding = headerValue(headers, "Transfer-Encoding");
    const QByteArray length = headerValue(headers, "Content-Length");
    if (!coding.isEmpty()) {
        if (coding.compare("chunked", Qt::CaseInsensitive) != 0)
            return fail(u"the answer uses the unsupported transfer coding %1"_s.arg(
                    QString::fromLatin1(coding)));
        m_state = State::ChunkSize;
    } else if (status == 204 || status == 304) {
        m_state = State::Done;
    } else if (!length.isEmpty()) {
        const std::optional<qint64> bytes = contentLength(length);
        if (!bytes)
            return fail(u"the answer has an invalid Content-Length"_s);
        if (*bytes > m_limits.maxBodyBytes)
            return fail(u"the answer's body of %1 bytes exceeds %2 bytes"_s.arg(*bytes).arg(
                    m_limits.maxBodyBytes));
        m_remaining = *bytes;
        m_state = m_remaining > 0 ? State::FixedBody : State::Done;
    } else {
        m_state = State::UntilClose;
    }
    return true;
}

bool ResponseReader::readLine(QByteArray &line)
{
    const qsizetype newline = m_buffer.indexOf('\n');
    if (newline < 0) {
        // Chunk-size lines and trailers are short; a long one is garbage.
        if (m_buffer.size() > m_limits.maxHeadBytes)
            fail(u"the answer's chunked body is malformed"_s);
        return false;
    }
    line = withoutCr(QByteArrayView(m_buffer).first(newline)).toByteArray();
    m_buffer.remove(0, newline + 1);
    return true;
}

// Moves up to `remaining` buffered bytes into the body; false when the body would exceed the
// limit (the reader failed) or nothing is buffered.
bool ResponseReader::takeBody(qint64 &remaining)
{
    const qsizetype taken = qsizetype(std::min<qint64>(remaining, m_buffer.size()));
    if (m_response.body().size() + taken > m_limits.maxBodyBytes)
        return fail(u"the answer's body exceeds %1 bytes"_s.arg(m_limits.maxBodyBytes));
    if (taken == 0)
        return false;
    m_response.setBody(m_response.body() + m_buffer.first(taken));
    m_buffer.remove(0, taken);
    remaining -= taken;
    return true;
}

void ResponseReader::chunkSize(const QByteArray &line)
{
    const QByteArray size = line.split(';').constFirst().trimmed();
    if (!HttpText::isDigits(size, 15, 16)) {
        fail(u"the answer's chunked body has an invalid chunk size"_s);
        return;
    }
    m_remaining = size.toLongLong(nullptr, 16);
    m_state = m_remaining == 0 ? State::Trailers : State::ChunkData;
}

bool ResponseReader::fail(const QString &message)
{
    m_state = State::Failed;
    m_error = message;
    return false;
}

} // namespace Pitwall
