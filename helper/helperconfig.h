#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>

namespace Pitwall {

// pitwall-helper's configuration: the only source of the cgroup base, the target commands and
// the cgroup root, since the caller of a root helper must not choose them. Strict `key=value`
// lines; blank lines and lines starting with '#' are ignored:
//   cgroup_base=pitwall
//   target_commands=ffmpeg,gst-launch-1.0
//   cgroup_root=              (empty or absent: detect from /proc/self/mountinfo)
struct HelperConfig
{
    static constexpr qsizetype MaxBytes = 64 * 1024;

    QString cgroupBase = QStringLiteral("pitwall");
    QStringList targetCommands{QStringLiteral("ffmpeg"), QStringLiteral("gst-launch-1.0")};
    QString cgroupRoot;

    static QString defaultPath() { return QStringLiteral("/etc/pitwall/helper.conf"); }

    // Unknown or repeated keys and invalid values are refused, naming the line.
    static std::optional<HelperConfig> parse(const QByteArray &text, QString *error);
    // Refuses a file that is a symlink, not a regular file, not owned by root, or writable by
    // group or others (whoever could write it would choose what root writes to), then parses.
    static std::optional<HelperConfig> load(const QString &path, QString *error);

    // A command becomes part of a job directory name (auto-<command>-<pid>): one safe component.
    static bool isValidCommand(const QString &command);
};

} // namespace Pitwall
