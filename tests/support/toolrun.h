#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <chrono>

// One run of a command-line tool (cpack, dpkg-deb, systemd-analyze, ...) to completion, with
// what it printed. Failing to start, crashing and timing out all give exitCode -1.
struct ToolRun final
{
    int exitCode = -1;
    QString out;
    QString err;

    bool ok() const { return exitCode == 0; }
    // "<what>: exit <code>" followed by stderr and stdout, for QVERIFY2 messages.
    QByteArray describe(const QString &what) const;

    // `input` is written to the tool's stdin, which is then closed.
    static ToolRun run(const QString &program, const QStringList &arguments,
                       std::chrono::milliseconds timeout = std::chrono::minutes(3),
                       const QByteArray &input = {});

    // `promtool check metrics` on an exposition text: ok() and nothing printed when it is clean.
    static ToolRun promtool(const QByteArray &metrics);
};
