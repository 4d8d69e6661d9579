#pragma once

#include <QByteArray>
#include <QStringList>

namespace Pitwall {

// The last lines a process wrote to one stream, fed in arbitrary chunks. Lines end at '\n' or
// '\r'; empty ones are dropped. Cookie and auth-token values are redacted as the lines come in,
// so nothing secret is kept or passed on (yt-dlp -v prints request headers).
class OutputTail final
{
public:
    explicit OutputTail(qsizetype maxLines = 100);

    // The complete lines this chunk finished, already redacted.
    QStringList append(QByteArrayView chunk);
    // Ends an unterminated last line (the process exited); returns it when there was one.
    QStringList flush();

    const QStringList &lines() const { return m_lines; }

    static QString redact(QString line);

private:
    void keep(const QString &line);

    qsizetype m_maxLines;
    QByteArray m_partial;
    QStringList m_lines;
};

} // namespace Pitwall
