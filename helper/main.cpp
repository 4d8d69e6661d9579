// pitwall-helper: applies or clears cgroup limits for ONE live target process, as root, on behalf
// of the desktop app (through pkexec and the org.pitwall.helper.apply-limits polkit action).
// Reads one JSON request (HelperRequest) from stdin, writes one JSON line to stdout and exits:
//   0 ok, 2 malformed request, 3 refused by validation (range, identity, not a target),
//   4 cgroup operation failed, 5 configuration error — never pkexec's 126/127.
// Everything the caller cannot be trusted with (cgroup base, target commands, cgroup root)
// comes from the root-owned helper.conf.
#include "cgroupmanager.h"
#include "helperconfig.h"
#include "helperrequest.h"
#include "procfs.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

#include <cstdio>
#include <cstdlib>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

struct Outcome
{
    HelperStatus status = HelperStatus::Ok;
    QJsonObject answer;
};

Outcome failure(HelperStatus status, const QString &message)
{
    return {status,
            {{u"ok"_s, false}, {u"error"_s, message}, {u"code"_s, helperStatusName(status)}}};
}

// PITWALL_HELPER_CONFIG exists for the tests. It is safe in a root helper: pkexec starts the
// helper with a cleared environment (only a fixed list such as LANG and TERM survives), so an
// unprivileged caller cannot set it; and even when set (by root), load() accepts only a regular
// file owned by root and writable by nobody else. Without it, a missing default file means
// the built-in defaults.
std::optional<HelperConfig> loadConfig(QString *error)
{
    const char *override = std::getenv("PITWALL_HELPER_CONFIG");
    const QString path = override ? QFile::decodeName(override) : HelperConfig::defaultPath();
    if (!override && !QFileInfo::exists(path))
        return HelperConfig{};
    return HelperConfig::load(path, error);
}

// At most one byte more than allowed, so the parser can say "too large".
QByteArray readRequest()
{
    QByteArray input;
    char buffer[1024];
    ssize_t got = 0;
    while (input.size() <= HelperRequest::MaxBytes && (got = ::read(0, buffer, sizeof buffer)) > 0)
        input.append(buffer, got);
    return input.left(HelperRequest::MaxBytes + 1);
}

// The request's pid must be alive with exactly the requested start time, and its executable
// must be a configured target (ProcFs::commandOf: basename of /proc/<pid>/exe, so an
// `exec -a ffmpeg sleep` impostor is not ffmpeg). Returns the command, empty with `error` set.
QString verifyTarget(const ProcFs &proc, const HelperRequest &request, const HelperConfig &config,
                     QString *error)
{
    const auto stat = proc.stat(request.pid);
    if (!stat) {
        *error = u"process %1 does not exist"_s.arg(request.pid);
        return {};
    }
    if (stat->startTimeTicks != request.startTime) {
        *error = u"process %1 has start time %2, not %3 (another process now has this pid)"_s
                     .arg(request.pid).arg(stat->startTimeTicks).arg(request.startTime);
        return {};
    }
    const QString command = ProcFs::commandOf(proc.exePath(request.pid));
    if (command.isEmpty()) {
        *error = u"the executable of process %1 cannot be read"_s.arg(request.pid);
        return {};
    }
    if (!config.targetCommands.contains(command)) {
        *error = u"process %1 runs \"%2\", which is not a target command (%3)"_s
                     .arg(request.pid).arg(command, config.targetCommands.join(u", "_s));
        return {};
    }
    return command;
}

// Undoes a join that must not stand: the process goes back to the root cgroups, the job goes.
void undoJoin(CgroupManager &cgroups, const QString &jobId, int pid)
{
    cgroups.movePidToRoot(pid, nullptr);
    cgroups.removeJob(jobId, nullptr);
}

Outcome apply(CgroupManager &cgroups, const ProcFs &proc, const HelperRequest &request,
              const HelperConfig &config, const QString &command)
{
    QString error;
    const QString jobId = CgroupManager::jobIdFor(command, request.pid);
    if (!cgroups.prepareBase(&error))
        return failure(HelperStatus::CgroupFailed, error);
    const auto applied = cgroups.createJob(jobId, request.limits, &error);
    if (!applied)
        return failure(HelperStatus::CgroupFailed, error);
    // Identity again right before and right after the move: the pid may have been reused.
    if (verifyTarget(proc, request, config, &error).isEmpty()) {
        cgroups.removeJob(jobId, nullptr);
        return failure(HelperStatus::Refused, error);
    }
    if (!cgroups.movePid(jobId, request.pid, &error)) {
        undoJoin(cgroups, jobId, request.pid);
        return failure(HelperStatus::CgroupFailed, error);
    }
    if (verifyTarget(proc, request, config, &error).isEmpty()) {
        undoJoin(cgroups, jobId, request.pid);
        return failure(HelperStatus::Refused, error);
    }
    QJsonObject answer = applied->toJson();
    answer.insert(u"ok"_s, true);
    answer.insert(u"job_id"_s, jobId);
    return {HelperStatus::Ok, answer};
}

// Only a process that sits in its own job is moved back: clear never relocates a process from
// a cgroup the helper did not put it in (a service's or a container's).
Outcome clear(CgroupManager &cgroups, const HelperRequest &request, const QString &command)
{
    QString error;
    const QString jobId = CgroupManager::jobIdFor(command, request.pid);
    if (!cgroups.jobContainsPid(jobId, request.pid))
        return failure(HelperStatus::Refused,
                       u"process %1 is not in job %2"_s.arg(request.pid).arg(jobId));
    if (!cgroups.movePidToRoot(request.pid, &error) || !cgroups.removeJob(jobId, &error))
        return failure(HelperStatus::CgroupFailed, error);
    return {HelperStatus::Ok, {{u"ok"_s, true}, {u"job_id"_s, jobId}}};
}

Outcome run()
{
    QString error;
    const auto config = loadConfig(&error);
    if (!config)
        return failure(HelperStatus::ConfigError, error);
    HelperStatus status = HelperStatus::Malformed;
    const auto request = HelperRequest::parse(readRequest(), &error, &status);
    if (!request)
        return failure(status, error);

    const CgroupLayout layout = config->cgroupRoot.isEmpty()
        ? CgroupLayout::detect()
        : CgroupLayout::fromRoot(config->cgroupRoot);
    if (layout.kind() == CgroupLayout::Kind::None) {
        return failure(config->cgroupRoot.isEmpty() ? HelperStatus::CgroupFailed
                                                    : HelperStatus::ConfigError,
                       layout.reason());
    }
    const ProcFs proc;
    const QString command = verifyTarget(proc, *request, *config, &error);
    if (command.isEmpty())
        return failure(HelperStatus::Refused, error);
    CgroupManager cgroups(layout, config->cgroupBase);
    return request->verb == HelperRequest::Verb::Apply
        ? apply(cgroups, proc, *request, *config, command)
        : clear(cgroups, *request, command);
}

} // namespace

int main()
{
    // Root with a caller's leftovers: a fixed PATH (nothing is executed, but nothing inherited
    // either) and files that are never group/world writable.
    ::umask(022);
    ::setenv("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", 1);
    const Outcome outcome = run();
    const QByteArray line = QJsonDocument(outcome.answer).toJson(QJsonDocument::Compact) + '\n';
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    std::fflush(stdout);
    return int(outcome.status);
}
