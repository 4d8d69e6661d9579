#include "core/http/routepattern.h"

#include <QRegularExpression>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace Pitwall {

std::optional<RoutePattern> RoutePattern::parse(const QString &pattern, QString *error)
{
    static const QRegularExpression parameter(u"^\\{(\\*?)([A-Za-z_][A-Za-z0-9_]*)\\}$"_s);
    if (!pattern.startsWith(u'/')) {
        *error = u"route pattern %1 must start with '/'"_s.arg(pattern);
        return std::nullopt;
    }
    RoutePattern result;
    result.m_text = pattern;
    QStringList names;
    const QStringList parts = pattern.mid(1).split(u'/');
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const QString &part = parts[i];
        if (!part.contains(u'{') && !part.contains(u'}')) {
            result.m_segments.append({Segment::Kind::Literal, part});
            continue;
        }
        const QRegularExpressionMatch match = parameter.match(part);
        if (!match.hasMatch()) {
            *error = u"route pattern %1: segment '%2' must be a literal, {name} or {*name}"_s
                         .arg(pattern, part);
            return std::nullopt;
        }
        const bool catchAll = !match.captured(1).isEmpty();
        const QString name = match.captured(2);
        if (catchAll && i != parts.size() - 1) {
            *error = u"route pattern %1: {*%2} must be the last segment"_s.arg(pattern, name);
            return std::nullopt;
        }
        if (names.contains(name)) {
            *error = u"route pattern %1 names parameter '%2' twice"_s.arg(pattern, name);
            return std::nullopt;
        }
        names.append(name);
        result.m_segments.append(
            {catchAll ? Segment::Kind::CatchAll : Segment::Kind::Parameter, name});
    }
    return result;
}

QStringList RoutePattern::splitPath(QByteArrayView rawPath)
{
    QStringList segments;
    const QList<QByteArray> parts = rawPath.sliced(rawPath.startsWith('/') ? 1 : 0)
                                        .toByteArray()
                                        .split('/');
    for (const QByteArray &part : parts)
        segments.append(QUrl::fromPercentEncoding(part));
    return segments;
}

QString RoutePattern::shape() const
{
    QString shape;
    for (const Segment &segment : m_segments) {
        shape += u'/';
        switch (segment.kind) {
        case Segment::Kind::Literal: shape += segment.text; break;
        case Segment::Kind::Parameter: shape += u"{}"_s; break;
        case Segment::Kind::CatchAll: shape += u"{*}"_s; break;
        }
    }
    return shape;
}

bool RoutePattern::match(const QStringList &segments, QHash<QString, QString> *params) const
{
    QHash<QString, QString> found;
    for (qsizetype i = 0; i < m_segments.size(); ++i) {
        const Segment &segment = m_segments[i];
        if (segment.kind == Segment::Kind::CatchAll) {
            found.insert(segment.text, segments.mid(i).join(u'/'));
            *params = std::move(found);
            return true;
        }
        if (i >= segments.size())
            return false;
        if (segment.kind == Segment::Kind::Literal && segment.text != segments[i])
            return false;
        if (segment.kind == Segment::Kind::Parameter) {
            if (segments[i].isEmpty())
                return false;
            found.insert(segment.text, segments[i]);
        }
    }
    if (segments.size() != m_segments.size())
        return false;
    *params = std::move(found);
    return true;
}

QList<int> RoutePattern::rank(qsizetype segmentCount) const
{
    // Per request segment: 2 literal, 1 parameter, 0 covered by the catch-all; then 1 when the
    // pattern ends without a catch-all, so "/a" beats "/a/{*rest}" for the path "/a".
    QList<int> ranks;
    bool catchAll = false;
    for (qsizetype i = 0; i < segmentCount; ++i) {
        const Segment::Kind kind = i < m_segments.size() ? m_segments[i].kind
                                                         : Segment::Kind::CatchAll;
        catchAll = catchAll || kind == Segment::Kind::CatchAll;
        ranks.append(catchAll ? 0 : kind == Segment::Kind::Literal ? 2 : 1);
    }
    ranks.append(m_segments.isEmpty() || m_segments.last().kind != Segment::Kind::CatchAll ? 1 : 0);
    return ranks;
}

} // namespace Pitwall
