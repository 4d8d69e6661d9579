#include "helperrequest.h"

#include <QJsonDocument>
#include <QJsonParseError>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// Names from the input are echoed shortened: the answer must stay one short line.
QString quoted(const QString &text)
{
    return u'"' + (text.size() > 40 ? text.left(40) + u"…"_s : text) + u'"';
}

struct Failure
{
    QString *error;
    HelperStatus *status;

    std::nullopt_t operator()(const QString &message,
                              HelperStatus kind = HelperStatus::Malformed) const
    {
        if (error)
            *error = message;
        if (status)
            *status = kind;
        return std::nullopt;
    }
};

HelperStatus statusOf(JsonProblem problem)
{
    return problem == JsonProblem::OutOfRange ? HelperStatus::Refused : HelperStatus::Malformed;
}

} // namespace

std::optional<HelperRequest> HelperRequest::parse(const QByteArray &input, QString *error,
                                                  HelperStatus *status)
{
    const Failure fail{error, status};
    if (input.size() > MaxBytes)
        return fail(u"request larger than %1 bytes"_s.arg(MaxBytes));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(input, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return fail(u"request is not valid JSON: %1 at offset %2"_s.arg(parseError.errorString())
                        .arg(parseError.offset));
    }
    if (!document.isObject())
        return fail(u"request must be a JSON object"_s);
    // Duplicate keys collapse in QJsonDocument (the last wins); the values checked below are
    // the ones acted upon, so no second reading of the text can disagree.
    const QJsonObject object = document.object();

    HelperRequest request;
    const QJsonValue verb = object.value(u"verb"_s);
    if (!verb.isString())
        return fail(verb.isUndefined() ? u"missing \"verb\""_s : u"verb must be a string"_s);
    if (verb.toString() == verbName(Verb::Apply))
        request.verb = Verb::Apply;
    else if (verb.toString() == verbName(Verb::Clear))
        request.verb = Verb::Clear;
    else
        return fail(u"unknown verb %1 (expected \"apply\" or \"clear\")"_s.arg(
            quoted(verb.toString())));

    QStringList known{u"verb"_s, u"pid"_s, u"start_time"_s};
    if (request.verb == Verb::Apply)
        known << u"limits"_s;
    for (const QString &key : object.keys()) {
        if (!known.contains(key))
            return fail(u"unknown key %1 for verb %2"_s.arg(quoted(key), verb.toString()));
    }
    for (const QString &key : std::as_const(known)) {
        if (!object.contains(key))
            return fail(u"missing \"%1\""_s.arg(key));
    }

    QString message;
    JsonProblem problem = JsonProblem::Malformed;
    const auto pid =
        readJsonInteger(object.value(u"pid"_s), 1, MaxPid, "pid"_L1, &message, &problem);
    if (!pid)
        return fail(message, statusOf(problem));
    const auto startTime = readJsonInteger(object.value(u"start_time"_s), 0, MaxStartTime,
                                           "start_time"_L1, &message, &problem);
    if (!startTime)
        return fail(message, statusOf(problem));
    request.pid = int(*pid);
    request.startTime = quint64(*startTime);

    if (request.verb == Verb::Apply) {
        const QJsonValue limits = object.value(u"limits"_s);
        if (!limits.isObject())
            return fail(u"limits must be an object"_s);
        const auto parsed = CgroupLimits::fromJson(limits.toObject(), &message, &problem);
        if (!parsed)
            return fail(u"limits: "_s + message, statusOf(problem));
        if (parsed->isEmpty())
            return fail(u"limits must set at least one of cpu_quota, cpu_weight, memory_limit, "
                        u"memory_high"_s);
        request.limits = *parsed;
    }
    return request;
}

QJsonObject HelperRequest::toJson() const
{
    QJsonObject object{{u"verb"_s, verbName(verb)},
                       {u"pid"_s, pid},
                       {u"start_time"_s, qint64(startTime)}};
    if (verb == Verb::Apply)
        object.insert(u"limits"_s, limits.toJson());
    return object;
}

QString HelperRequest::verbName(Verb verb)
{
    return verb == Verb::Apply ? u"apply"_s : u"clear"_s;
}

} // namespace Pitwall
