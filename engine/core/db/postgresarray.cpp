#include "core/db/postgresarray.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

void PostgresArray::separate()
{
    if (!m_elements.isEmpty())
        m_elements += u',';
}

void PostgresArray::append(qint64 value)
{
    separate();
    m_elements += QString::number(value);
}

void PostgresArray::append(const std::optional<QString> &value)
{
    separate();
    if (!value) {
        m_elements += u"NULL"_s;
        return;
    }
    // Inside double quotes only the quote and the backslash need a backslash.
    m_elements += u'"';
    for (const QChar c : *value) {
        if (c == u'"' || c == u'\\')
            m_elements += u'\\';
        m_elements += c;
    }
    m_elements += u'"';
}

} // namespace Pitwall
