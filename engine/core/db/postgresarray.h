#pragma once

#include <QString>

#include <optional>

namespace Pitwall {

// The text of a one-dimensional PostgreSQL array, built element by element, to bind as one
// parameter and cast in SQL (CAST(? AS BIGINT[]), unnest(...)). QPSQL renders every bound
// value into the text of its EXECUTE, so a column of a batch as one value spares the server
// parsing thousands of literals.
class PostgresArray final
{
public:
    void append(qint64 value);
    // Quoted, so any text survives; std::nullopt is NULL.
    void append(const std::optional<QString> &value);

    // "{1,2}", "{\"a\",NULL}"; "{}" when empty.
    QString text() const { return u'{' + m_elements + u'}'; }

private:
    void separate();

    QString m_elements;
};

} // namespace Pitwall
