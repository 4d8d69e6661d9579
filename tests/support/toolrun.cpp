#include "toolrun.h"

#include <QProcess>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

QByteArray ToolRun::describe(const QString &what) const
{
    return u"%1: exit %2\n%3%4"_s.arg(what).arg(exitCode).arg(err, out).toUtf8();
}

ToolRun ToolRun::run(const QString &program, const QStringList &arguments,
                     std::chrono::milliseconds timeout, const QByteArray &input)
{
    QProcess process;
    process.start(program, arguments);
    ToolRun result;
    if (!process.waitForStarted(10'000)) {
        result.err = program + u": "_s + process.errorString();
        return result;
    }
    process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(int(timeout.count()))) {
        process.kill();
        process.waitForFinished();
        result.err = u"%1: still running after %2 ms, killed"_s.arg(program).arg(timeout.count());
        return result;
    }
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    if (process.exitStatus() == QProcess::NormalExit)
        result.exitCode = process.exitCode();
    return result;
}

ToolRun ToolRun::promtool(const QByteArray &metrics)
{
    const QString program = QStandardPaths::findExecutable(u"promtool"_s);
    if (program.isEmpty()) {
        ToolRun missing;
        missing.err = u"promtool not installed (installer/install-deps.sh --test)"_s;
        return missing;
    }
    return run(program, {u"check"_s, u"metrics"_s}, std::chrono::seconds(30), metrics);
}
