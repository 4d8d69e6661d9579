#include "core/metrics/expositionwriter.h"

#include <charconv>
#include <cmath>

namespace Pitwall {

namespace {

enum class Escape { Help, LabelValue };

// Byte-wise is safe: UTF-8 multi-byte sequences never contain ASCII bytes.
QByteArray escaped(const QString &text, Escape mode)
{
    const QByteArray utf8 = text.toUtf8();
    QByteArray out;
    out.reserve(utf8.size());
    for (const char c : utf8) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else if (c == '"' && mode == Escape::LabelValue)
            out += "\\\"";
        else
            out += c;
    }
    return out;
}

} // namespace

void ExpositionWriter::writeHeader(const QString &name, const QString &help, MetricType type)
{
    const QByteArray utf8Name = name.toUtf8();
    m_text += "# HELP " + utf8Name + ' ' + escaped(help, Escape::Help) + '\n';
    m_text += "# TYPE " + utf8Name + ' ' + MetricFamily::typeName(type).latin1() + '\n';
}

void ExpositionWriter::writeSample(const QString &name, const QStringList &labelNames,
                                   const QStringList &labelValues, double value)
{
    Q_ASSERT(labelNames.size() == labelValues.size());
    m_text += name.toUtf8();
    if (!labelNames.isEmpty()) {
        m_text += '{';
        for (qsizetype i = 0; i < labelNames.size(); ++i) {
            if (i > 0)
                m_text += ',';
            m_text += labelNames.at(i).toUtf8() + "=\""
                + escaped(labelValues.at(i), Escape::LabelValue) + '"';
        }
        m_text += '}';
    }
    m_text += ' ' + formatValue(value) + '\n';
}

QByteArray ExpositionWriter::formatValue(double value)
{
    if (std::isnan(value))
        return QByteArrayLiteral("NaN");
    if (std::isinf(value))
        return value > 0 ? QByteArrayLiteral("+Inf") : QByteArrayLiteral("-Inf");
    char buffer[32];
    const std::to_chars_result result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return QByteArray(buffer, result.ptr - buffer);
}

} // namespace Pitwall
