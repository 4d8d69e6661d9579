#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace Pitwall {

// One statement of a script and the 1-based line it starts on.
struct SqlStatement
{
    QString sql;
    int line = 0;

    friend bool operator==(const SqlStatement &, const SqlStatement &) = default;
};

// Splits a migration file into statements at top-level ';'. Knows '...' and "..." (doubled quote
// inside), E'...' backslash escapes, `...` identifiers, -- and /* */ comments, PostgreSQL dollar
// quoting ($$...$$, $tag$...$tag$) and SQLite trigger bodies (CREATE TRIGGER ... BEGIN ...; END;).
// Leading and trailing comments are not part of a statement; empty statements are dropped.
class SqlScript final
{
public:
    // std::nullopt and *error set on an unterminated quote, comment or trigger body.
    static std::optional<QList<SqlStatement>> split(const QString &script, QString *error);
};

} // namespace Pitwall
