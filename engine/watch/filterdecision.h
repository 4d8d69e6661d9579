#pragma once

#include <QDateTime>
#include <QString>

namespace Pitwall {

// What the filters say about one process. `reason` names the rule (for the log); an Accept may
// carry a note too, e.g. that its cwd could not be read and which policy applied.
struct FilterDecision
{
    enum class Verdict { Accept, Reject, Defer };

    Verdict verdict = Verdict::Accept;
    QString reason;
    QDateTime until; // Defer: when the process is old enough to be looked at again

    static FilterDecision accept(QString note = {})
    {
        return {Verdict::Accept, std::move(note), {}};
    }
    static FilterDecision reject(QString reason)
    {
        return {Verdict::Reject, std::move(reason), {}};
    }
    static FilterDecision defer(QDateTime until, QString reason)
    {
        return {Verdict::Defer, std::move(reason), std::move(until)};
    }
};

} // namespace Pitwall
