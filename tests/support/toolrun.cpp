#include "toolrun.h"

#include <QProcess>

using namespace Qt::StringLiterals;

QByteArray ToolRun::describe(const QString &what) const
{
    return u"%1: exit %2\n%3%4"_s.arg(what).arg(exitCode).arg(err, out).toUtf8();
}

ToolRun ToolRun::run(const QString &program, const QStringList &arguments,
                     std::chrono::milliseconds timeout)
{
    QProcess process;
    process.start(program, arguments);
    ToolRun result;
    if (!process.waitForStarted(10'000)) {
        result.err = program + u": "_s + process.errorString();
        return result;
    }
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
