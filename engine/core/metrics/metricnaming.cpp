#include "core/metrics/metricnaming.h"

#include <QRegularExpression>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

bool isIdentifier(QStringView name)
{
    if (name.isEmpty() || name.front().isDigit())
        return false;
    return std::all_of(name.begin(), name.end(), [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9')
            || c == u'_';
    });
}

// promlint's camelCase test: a lower-case letter directly followed by an upper-case one.
bool isCamelCase(const QString &name)
{
    static const QRegularExpression camel(u"[a-z][A-Z]"_s);
    return camel.match(name).hasMatch();
}

// True for "_token_" inside the name or "_token" at its end, as promlint matches.
bool hasToken(const QString &lowerName, QLatin1String token)
{
    return lowerName.split(u'_').indexOf(token, 1) >= 1;
}

// promlint's unit checks: abbreviations, and units other than the base ones (seconds, bytes, ...).
QString unitProblem(const QString &name)
{
    const QString lower = name.toLower();
    static const QLatin1String abbreviations[] = {
        "s"_L1, "ms"_L1, "us"_L1, "ns"_L1, "sec"_L1, "b"_L1, "kb"_L1, "mb"_L1,
        "gb"_L1, "tb"_L1, "pb"_L1, "m"_L1, "h"_L1, "d"_L1};
    for (const QLatin1String abbreviation : abbreviations) {
        if (hasToken(lower, abbreviation))
            return u"%1 uses the abbreviated unit \"%2\""_s.arg(name, abbreviation);
    }
    static const QStringList baseUnits = {
        u"amperes"_s, u"bytes"_s, u"celsius"_s, u"grams"_s, u"joules"_s, u"kelvin"_s,
        u"meters"_s, u"metres"_s, u"seconds"_s, u"volts"_s};
    static const QStringList otherUnits = {
        u"minutes"_s, u"hours"_s, u"days"_s, u"weeks"_s, u"kelvins"_s, u"fahrenheit"_s,
        u"rankine"_s, u"inches"_s, u"yards"_s, u"miles"_s, u"bits"_s, u"calories"_s,
        u"pounds"_s, u"ounces"_s};
    static const QStringList prefixes = {
        u"pico"_s, u"nano"_s, u"micro"_s, u"milli"_s, u"centi"_s, u"deci"_s, u"deca"_s,
        u"hecto"_s, u"kilo"_s, u"kibi"_s, u"mega"_s, u"mibi"_s, u"giga"_s, u"gibi"_s,
        u"tera"_s, u"tebi"_s, u"peta"_s, u"pebi"_s};
    const auto isUnit = [](const QString &word) {
        return baseUnits.contains(word) || otherUnits.contains(word);
    };
    for (const QString &token : lower.split(u'_')) {
        const bool scaled = std::any_of(prefixes.cbegin(), prefixes.cend(), [&](const QString &p) {
            return token.startsWith(p) && isUnit(token.mid(p.size()));
        });
        if (scaled || otherUnits.contains(token))
            return u"%1 uses the unit \"%2\"; use a base unit (seconds, bytes, ...)"_s
                .arg(name, token);
    }
    return {};
}

QString labelProblem(const QString &metric, const QStringList &labelNames)
{
    for (qsizetype i = 0; i < labelNames.size(); ++i) {
        const QString &label = labelNames.at(i);
        if (!MetricNaming::isValidLabelName(label))
            return u"%1: \"%2\" is not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*, no __ prefix)"_s
                .arg(metric, label);
        if (isCamelCase(label))
            return u"%1: label \"%2\" must be snake_case"_s.arg(metric, label);
        // "le" is the bucket label of histograms, "quantile" belongs to summaries; promlint
        // flags both everywhere else.
        if (label == "le"_L1 || label == "quantile"_L1)
            return u"%1: label name \"%2\" is reserved"_s.arg(metric, label);
        if (labelNames.indexOf(label) != i)
            return u"%1: label \"%2\" is listed twice"_s.arg(metric, label);
    }
    return {};
}

} // namespace

bool MetricNaming::isValidMetricName(QStringView name)
{
    return isIdentifier(name);
}

bool MetricNaming::isValidLabelName(QStringView name)
{
    return isIdentifier(name) && !name.startsWith(u"__");
}

QString MetricNaming::definitionProblem(MetricType type, const QString &name, const QString &help,
                                        const QStringList &labelNames)
{
    if (!isValidMetricName(name))
        return u"\"%1\" is not a valid metric name ([a-zA-Z_][a-zA-Z0-9_]*, no colons)"_s.arg(name);
    if (help.trimmed().isEmpty())
        return u"%1 has no help text"_s.arg(name);
    if (isCamelCase(name))
        return u"%1 must be snake_case"_s.arg(name);
    const QLatin1String typeName = MetricFamily::typeName(type);
    if (hasToken(name.toLower(), typeName))
        return u"%1 must not contain its type \"%2\""_s.arg(name, typeName);
    if (const QString problem = unitProblem(name); !problem.isEmpty())
        return problem;
    if (type == MetricType::Counter) {
        if (!name.endsWith("_total"_L1))
            return u"counter %1 must end in _total"_s.arg(name);
    } else {
        for (const QLatin1String suffix : {"_total"_L1, "_count"_L1, "_sum"_L1, "_bucket"_L1}) {
            if (name.endsWith(suffix))
                return u"%1 %2 must not end in %3"_s.arg(typeName, name, suffix);
        }
    }
    return labelProblem(name, labelNames);
}

QString MetricNaming::bucketProblem(const QList<double> &upperBounds)
{
    if (upperBounds.isEmpty())
        return u"a histogram needs at least one finite bucket bound"_s;
    for (qsizetype i = 0; i < upperBounds.size(); ++i) {
        const double bound = upperBounds.at(i);
        if (!std::isfinite(bound))
            return u"bucket bound %1 is not a finite number"_s.arg(bound);
        if (i > 0 && !(upperBounds.at(i - 1) < bound))
            return u"bucket bounds must be strictly increasing (%1 after %2)"_s.arg(bound).arg(
                upperBounds.at(i - 1));
    }
    return {};
}

} // namespace Pitwall
