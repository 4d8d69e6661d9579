#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>

namespace Pitwall {

// A directory in a cgroup hierarchy, held open as a file descriptor (kpmcore-style safety):
// - every step is openat(parent fd, one component, O_NOFOLLOW | O_DIRECTORY), starting at "/",
//   so no symlink anywhere on the way is followed and nothing is resolved by path twice;
// - child names are single components (no "/", never "." or "..");
// - only the allow-listed cgroup interface files can be written, each with exactly one write(2),
//   and errno is reported with the file and the directory
//   ("writing cpu.max in /sys/fs/cgroup/pitwall/auto-ffmpeg-42: Invalid argument").
// Files are never created: on cgroupfs the kernel creates them, and a missing file (ENOENT) is
// the honest sign that a controller is not enabled for this cgroup.
class CgroupDir final
{
public:
    CgroupDir() = default;
    ~CgroupDir();
    CgroupDir(CgroupDir &&other) noexcept;
    CgroupDir &operator=(CgroupDir &&other) noexcept;
    CgroupDir(const CgroupDir &) = delete;
    CgroupDir &operator=(const CgroupDir &) = delete;

    static std::optional<CgroupDir> openAbsolute(const QString &path, QString *error);
    std::optional<CgroupDir> openChild(const QString &name, QString *error) const;
    // mkdir; an existing directory is accepted (re-attaching after a restart reuses the job),
    // `created` tells whether this call made it.
    bool makeChild(const QString &name, bool *created, QString *error) const;
    // rmdir: on cgroupfs this fails with EBUSY while the cgroup holds processes or children.
    // A child that does not exist counts as removed.
    bool removeChild(const QString &name, QString *error) const;
    QStringList childDirectories() const;

    bool writeFile(QLatin1StringView name, const QByteArray &value, QString *error) const;
    // The file's contents with surrounding whitespace removed.
    std::optional<QByteArray> readFile(QLatin1StringView name, QString *error) const;

    const QString &path() const { return m_path; }

    static bool isWritableFile(QLatin1StringView name);

private:
    CgroupDir(int fd, QString path);

    int m_fd = -1;
    QString m_path;
};

} // namespace Pitwall
