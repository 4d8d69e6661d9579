#include "core/http/requestframer.h"

#include "core/http/httptext.h"

#include <algorithm>
#include <optional>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

using HttpText::isDigits;
using HttpText::withoutCr;

// A chunk-size line or the CRLF after chunk data is a few bytes; anything longer is an attack.
constexpr qsizetype MaxLineBytes = 1024;

bool isTokenChar(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
        || QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

bool isToken(QByteArrayView text)
{
    return !text.isEmpty() && std::all_of(text.begin(), text.end(), isTokenChar);
}

bool isBlank(char c)
{
    return c == '\r' || c == '\n' || c == ' ' || c == '\t' || c == '\v';
}

bool containsToken(const QByteArray &list, QByteArrayView token)
{
    const QList<QByteArray> items = list.split(',');
    return std::any_of(items.cbegin(), items.cend(), [token](const QByteArray &item) {
        return item.trimmed().compare(token, Qt::CaseInsensitive) == 0;
    });
}

// Index just past the empty line that ends the head, or -1. `from` lets repeated calls on a
// growing buffer skip what was already scanned.
qsizetype findHeadEnd(const QByteArray &buffer, qsizetype from)
{
    for (qsizetype i = buffer.indexOf('\n', from); i >= 0; i = buffer.indexOf('\n', i + 1)) {
        if (i + 1 < buffer.size() && buffer[i + 1] == '\n')
            return i + 2;
        if (i + 2 < buffer.size() && buffer[i + 1] == '\r' && buffer[i + 2] == '\n')
            return i + 3;
    }
    return -1;
}

} // namespace

RequestFramer::RequestFramer(Limits limits)
    : m_limits(limits)
{
}

QList<RequestFramer::Event> RequestFramer::feed(QByteArrayView data)
{
    QList<Event> events;
    while (!data.isEmpty() && m_state != State::Stopped) {
        qsizetype used = 0;
        switch (m_state) {
        case State::Idle:
            while (used < data.size() && isBlank(data[used]))
                ++used;
            if (used < data.size()) {
                m_state = State::Head;
                m_head = RequestHead();
                m_buffer.clear();
                m_bodyBytes = 0;
                events.append({Event::Kind::Started, {}, 0, {}});
            }
            break;
        case State::Head:
            used = consumeHead(data, events);
            break;
        case State::FixedBody:
            used = qMin<qsizetype>(m_remaining, data.size());
            m_remaining -= used;
            if (m_remaining == 0)
                complete(events);
            break;
        case State::ChunkData:
            used = qMin<qsizetype>(m_remaining, data.size());
            m_remaining -= used;
            if (m_remaining == 0)
                m_state = State::ChunkDataEnd;
            break;
        case State::ChunkSize:
        case State::ChunkDataEnd:
        case State::LastChunkEnd:
            used = consumeLine(data, events);
            break;
        case State::Stopped:
            break;
        }
        data = data.sliced(used);
    }
    return events;
}

qsizetype RequestFramer::consumeHead(QByteArrayView data, QList<Event> &events)
{
    const qsizetype before = m_buffer.size();
    m_buffer.append(data);
    const qsizetype end = findHeadEnd(m_buffer, qMax<qsizetype>(0, before - 2));
    const qsizetype lineEnd = m_head.method.isEmpty() ? m_buffer.indexOf('\n', before) : -1;
    if (lineEnd >= 0 && lineEnd < m_limits.maxHeaderBytes
        && !parseRequestLine(QByteArrayView(m_buffer).first(lineEnd), events)) {
        return data.size();
    }
    if ((end < 0 ? m_buffer.size() : end) > m_limits.maxHeaderBytes) {
        fail(events, 431, u"request line and headers exceed %1 bytes"_s.arg(m_limits.maxHeaderBytes));
        return data.size();
    }
    if (end < 0)
        return data.size();
    m_buffer.truncate(end);
    headComplete(events);
    return end - before;
}

bool RequestFramer::parseRequestLine(QByteArrayView line, QList<Event> &events)
{
    const QList<QByteArray> parts = withoutCr(line).toByteArray().split(' ');
    QList<QByteArray> words;
    std::copy_if(parts.cbegin(), parts.cend(), std::back_inserter(words),
                 [](const QByteArray &part) { return !part.isEmpty(); });
    if (words.size() != 3) {
        fail(events, 400, u"malformed request line"_s);
        return false;
    }
    if (!isToken(words[0])) {
        fail(events, 400, u"malformed request method"_s);
        return false;
    }
    m_head.method = words[0];
    m_head.target = words[1];
    if (!m_head.target.startsWith('/')) {
        fail(events, 400, u"request target must be an absolute path"_s);
        return false;
    }
    if (words[2] != "HTTP/1.1" && words[2] != "HTTP/1.0") {
        fail(events, 400, u"unsupported HTTP version %1"_s.arg(QString::fromLatin1(words[2])));
        return false;
    }
    m_head.minorVersion = words[2].back() - '0';
    return true;
}

void RequestFramer::headComplete(QList<Event> &events)
{
    const QList<QByteArray> lines = m_buffer.split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArrayView line = withoutCr(lines[i]);
        if (line.isEmpty())
            break;
        if (line.front() == ' ' || line.front() == '\t')
            return fail(events, 400, u"folded header lines are not supported"_s);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(line.first(colon)))
            return fail(events, 400, u"malformed header line"_s);
        m_head.headers.append({line.first(colon).toByteArray(),
                               line.sliced(colon + 1).trimmed().toByteArray()});
    }
    m_buffer.clear();

    const QByteArray connection = headerValue(m_head.headers, "Connection");
    m_head.keepAlive = m_head.minorVersion == 1 ? !containsToken(connection, "close")
                                                : containsToken(connection, "keep-alive");
    m_head.expectsContinue =
        headerValue(m_head.headers, "Expect").compare("100-continue", Qt::CaseInsensitive) == 0;
    // Qt HttpServer 6.4 hands a request to its WebSocket server on exactly this condition.
    m_head.webSocketUpgrade =
        connection.toLower().contains("upgrade")
        && headerValue(m_head.headers, "Upgrade").compare("websocket", Qt::CaseInsensitive) == 0;

    std::optional<qint64> length;
    bool chunked = false;
    for (const auto &[name, value] : std::as_const(m_head.headers)) {
        if (name.compare("Transfer-Encoding", Qt::CaseInsensitive) == 0) {
            if (value.compare("chunked", Qt::CaseInsensitive) != 0)
                return fail(events, 400, u"unsupported Transfer-Encoding"_s);
            chunked = true;
        } else if (name.compare("Content-Length", Qt::CaseInsensitive) == 0) {
            bool ok = isDigits(value, 18, 10);
            const qint64 parsed = ok ? value.toLongLong(&ok) : 0;
            if (!ok || (length && *length != parsed))
                return fail(events, 400, u"invalid Content-Length"_s);
            length = parsed;
        }
    }
    if (chunked && length)
        return fail(events, 400, u"Content-Length together with Transfer-Encoding"_s);
    if (length && *length > m_limits.maxBodyBytes)
        return fail(events, 413, u"request body of %1 bytes exceeds the limit of %2 bytes"_s
                                     .arg(*length).arg(m_limits.maxBodyBytes));

    events.append({Event::Kind::HeadersComplete, m_head, 0, {}});
    if (chunked) {
        m_state = State::ChunkSize;
    } else if (length.value_or(0) > 0) {
        m_remaining = *length;
        m_bodyBytes = *length;
        m_state = State::FixedBody;
    } else {
        complete(events);
    }
}

qsizetype RequestFramer::consumeLine(QByteArrayView data, QList<Event> &events)
{
    const qsizetype newline = data.indexOf('\n');
    const qsizetype used = newline < 0 ? data.size() : newline + 1;
    m_buffer.append(data.first(used));
    if (m_buffer.size() > MaxLineBytes) {
        fail(events, 400, u"malformed chunked body"_s);
        return data.size();
    }
    if (newline < 0)
        return used;
    if (m_state == State::ChunkSize)
        chunkSizeLine(events);
    else
        crlfLine(events);
    m_buffer.clear();
    return used;
}

void RequestFramer::chunkSizeLine(QList<Event> &events)
{
    QByteArrayView line = withoutCr(QByteArrayView(m_buffer).chopped(1));
    if (const qsizetype extension = line.indexOf(';'); extension >= 0)
        line = line.first(extension);
    line = line.trimmed();
    bool ok = isDigits(line, 15, 16);
    const qint64 size = ok ? line.toLongLong(&ok, 16) : 0;
    if (!ok)
        return fail(events, 400, u"malformed chunk size"_s);
    if (size == 0) {
        m_state = State::LastChunkEnd;
        return;
    }
    m_bodyBytes += size;
    if (m_bodyBytes > m_limits.maxBodyBytes)
        return fail(events, 413, u"chunked request body exceeds the limit of %1 bytes"_s
                                     .arg(m_limits.maxBodyBytes));
    m_remaining = size;
    m_state = State::ChunkData;
}

void RequestFramer::crlfLine(QList<Event> &events)
{
    if (m_buffer != "\r\n" && m_buffer != "\n") {
        return fail(events, 400, m_state == State::LastChunkEnd
                                     ? u"chunked trailer fields are not supported"_s
                                     : u"malformed chunked body"_s);
    }
    if (m_state == State::LastChunkEnd)
        complete(events);
    else
        m_state = State::ChunkSize;
}

void RequestFramer::complete(QList<Event> &events)
{
    events.append({Event::Kind::Complete, m_head, 0, {}});
    m_state = m_head.webSocketUpgrade ? State::Stopped : State::Idle;
}

void RequestFramer::fail(QList<Event> &events, int status, const QString &message)
{
    events.append({Event::Kind::Failed, m_head, status, message});
    m_state = State::Stopped;
    m_buffer.clear();
}

} // namespace Pitwall
