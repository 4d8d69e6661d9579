#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Pitwall {

// A route path such as "/api/v1/streams/{stream_id}/export.csv" or "/dashboard/{*rest}":
// literal segments, whole-segment parameters, and an optional trailing catch-all.
class RoutePattern final
{
public:
    // nullopt with `error` naming the problem when the pattern is malformed.
    static std::optional<RoutePattern> parse(const QString &pattern, QString *error);
    // The percent-decoded segments of a raw request path ("/a%2Fb/c" -> {"a/b", "c"}).
    static QStringList splitPath(QByteArrayView rawPath);

    const QString &text() const { return m_text; }
    // The pattern with parameter names erased: two routes with the same shape are ambiguous.
    QString shape() const;

    // Fills `params` when the segments match.
    bool match(const QStringList &segments, QHash<QString, QString> *params) const;
    // Ranks a match by how literal it is, segment by segment; higher wins.
    QList<int> rank(qsizetype segmentCount) const;

private:
    struct Segment
    {
        enum class Kind { Literal, Parameter, CatchAll };
        Kind kind;
        QString text; // the literal, or the parameter name
    };

    QString m_text;
    QList<Segment> m_segments;
};

} // namespace Pitwall
