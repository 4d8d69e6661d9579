#include "vod/outputtail.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// A line longer than this is kept in pieces, so a process without line breaks cannot grow it.
constexpr qsizetype maxLineBytes = 64 * 1024;

} // namespace

OutputTail::OutputTail(qsizetype maxLines)
    : m_maxLines(maxLines)
{
}

QString OutputTail::redact(QString line)
{
    // "Cookie: a=b" as a header line, "'Cookie': 'a=b'" as yt-dlp -v prints header dicts.
    static const QRegularExpression cookie(u"(cookie['\"]?\\s*[:=]\\s*['\"]?)[^'\"\\r\\n]*"_s,
                                           QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression authToken(u"(auth-token\\s*=\\s*)[^&;,\\s'\"]*"_s,
                                              QRegularExpression::CaseInsensitiveOption);
    line.replace(cookie, u"\\1[redacted]"_s);
    line.replace(authToken, u"\\1[redacted]"_s);
    return line;
}

QStringList OutputTail::append(QByteArrayView chunk)
{
    QStringList finished;
    for (const char c : chunk) {
        const bool lineBreak = c == '\n' || c == '\r';
        if (!lineBreak)
            m_partial.append(c);
        if ((lineBreak || m_partial.size() >= maxLineBytes) && !m_partial.isEmpty()) {
            finished.append(redact(QString::fromUtf8(m_partial)));
            keep(finished.back());
            m_partial.clear();
        }
    }
    return finished;
}

QStringList OutputTail::flush()
{
    return append("\n");
}

void OutputTail::keep(const QString &line)
{
    m_lines.append(line);
    if (m_lines.size() > m_maxLines)
        m_lines.remove(0, m_lines.size() - m_maxLines);
}

} // namespace Pitwall
