#include "cgroupdir.h"

#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <utility>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

constexpr std::array writableFiles{
    "cgroup.procs"_L1,       "cgroup.subtree_control"_L1, "cpu.max"_L1,
    "cpu.weight"_L1,         "memory.max"_L1,             "memory.high"_L1,
    "cpu.cfs_quota_us"_L1,   "cpu.cfs_period_us"_L1,      "cpu.shares"_L1,
    "memory.limit_in_bytes"_L1,
};
// Reading is harmless, but kept to the files this code has a reason to look at.
constexpr auto readableOnly = "cgroup.controllers"_L1;

// Big enough for cgroup.procs of a busy cgroup; interface files are tiny otherwise.
constexpr qsizetype maxReadBytes = 1 << 20;

// O_NOFOLLOW makes open() fail on a symlink with ELOOP, or ENOTDIR with O_DIRECTORY: say so.
QString openErrorText(int dir, const QByteArray &name, int code)
{
    struct stat info {};
    if ((code == ELOOP || code == ENOTDIR)
        && ::fstatat(dir, name.constData(), &info, AT_SYMLINK_NOFOLLOW) == 0
        && S_ISLNK(info.st_mode))
        return u"is a symbolic link (refused)"_s;
    return qt_error_string(code);
}

bool isSingleComponent(const QString &name)
{
    return !name.isEmpty() && !name.contains(u'/') && name != u"."_s && name != u".."_s
        && !name.contains(QChar(0));
}

int openDirAt(int parent, const QByteArray &name)
{
    return ::openat(parent, name.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

// O_NONBLOCK: a FIFO planted under a fake root cannot make open() hang; fstat then refuses it.
int openFileAt(int dir, QLatin1StringView name, int mode, QString *error, const QString &where)
{
    const QByteArray encoded(name.data(), name.size());
    const int fd = ::openat(dir, encoded.constData(), mode | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        if (error)
            *error = u"opening %1 in %2: %3"_s.arg(name, where, openErrorText(dir, encoded, errno));
        return -1;
    }
    struct stat info {};
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        ::close(fd);
        if (error)
            *error = u"opening %1 in %2: not a regular file (refused)"_s.arg(name, where);
        return -1;
    }
    return fd;
}

} // namespace

CgroupDir::CgroupDir(int fd, QString path)
    : m_fd(fd)
    , m_path(std::move(path))
{
}

CgroupDir::~CgroupDir()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

CgroupDir::CgroupDir(CgroupDir &&other) noexcept
    : m_fd(std::exchange(other.m_fd, -1))
    , m_path(std::move(other.m_path))
{
}

CgroupDir &CgroupDir::operator=(CgroupDir &&other) noexcept
{
    if (this != &other) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = std::exchange(other.m_fd, -1);
        m_path = std::move(other.m_path);
    }
    return *this;
}

std::optional<CgroupDir> CgroupDir::openAbsolute(const QString &path, QString *error)
{
    if (!path.startsWith(u'/')) {
        if (error)
            *error = u"%1 is not an absolute path"_s.arg(path);
        return std::nullopt;
    }
    const int rootFd = ::open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (rootFd < 0) {
        if (error)
            *error = u"opening /: %1"_s.arg(qt_error_string(errno));
        return std::nullopt;
    }
    CgroupDir dir(rootFd, u"/"_s);
    for (const QString &component : path.split(u'/', Qt::SkipEmptyParts)) {
        auto child = dir.openChild(component, error);
        if (!child)
            return std::nullopt;
        dir = std::move(*child);
    }
    return dir;
}

std::optional<CgroupDir> CgroupDir::openChild(const QString &name, QString *error) const
{
    const QString childPath = m_path == u"/"_s ? m_path + name : m_path + u'/' + name;
    if (!isSingleComponent(name)) {
        if (error)
            *error = u"opening %1: not a single path component (refused)"_s.arg(childPath);
        return std::nullopt;
    }
    const QByteArray encoded = name.toUtf8();
    const int fd = openDirAt(m_fd, encoded);
    if (fd < 0) {
        if (error)
            *error = u"opening %1: %2"_s.arg(childPath, openErrorText(m_fd, encoded, errno));
        return std::nullopt;
    }
    return CgroupDir(fd, childPath);
}

bool CgroupDir::makeChild(const QString &name, bool *created, QString *error) const
{
    *created = false;
    if (!isSingleComponent(name)) {
        if (error)
            *error = u"creating %1 in %2: not a single path component (refused)"_s.arg(name,
                                                                                   m_path);
        return false;
    }
    if (::mkdirat(m_fd, name.toUtf8().constData(), 0755) == 0) {
        *created = true;
        return true;
    }
    if (errno == EEXIST)
        return true;  // whether it is a real directory is checked when it is opened
    if (error)
        *error = u"creating %1 in %2: %3"_s.arg(name, m_path, qt_error_string(errno));
    return false;
}

bool CgroupDir::removeChild(const QString &name, QString *error) const
{
    if (!isSingleComponent(name)) {
        if (error)
            *error = u"removing %1 in %2: not a single path component (refused)"_s.arg(name,
                                                                                   m_path);
        return false;
    }
    if (::unlinkat(m_fd, name.toUtf8().constData(), AT_REMOVEDIR) == 0 || errno == ENOENT)
        return true;
    if (error)
        *error = u"removing %1 in %2: %3"_s.arg(name, m_path, qt_error_string(errno));
    return false;
}

QStringList CgroupDir::childDirectories() const
{
    QStringList names;
    // A fresh descriptor: readdir must not move the offset of ours, and closedir closes it.
    const int fd = openDirAt(m_fd, ".");
    DIR *stream = fd >= 0 ? ::fdopendir(fd) : nullptr;
    if (!stream) {
        if (fd >= 0)
            ::close(fd);
        return names;
    }
    while (const dirent *entry = ::readdir(stream)) {
        const QString name = QString::fromUtf8(entry->d_name);
        struct stat info {};
        const bool directory = entry->d_type == DT_DIR
            || (entry->d_type == DT_UNKNOWN
                && ::fstatat(m_fd, entry->d_name, &info, AT_SYMLINK_NOFOLLOW) == 0
                && S_ISDIR(info.st_mode));
        if (directory && isSingleComponent(name))
            names << name;
    }
    ::closedir(stream);
    names.sort();
    return names;
}

bool CgroupDir::writeFile(QLatin1StringView name, const QByteArray &value, QString *error) const
{
    if (!isWritableFile(name)) {
        if (error)
            *error = u"writing %1 in %2: not an allow-listed cgroup file (refused)"_s.arg(
                name, m_path);
        return false;
    }
    // O_TRUNC is what the shell's `>` does on cgroupfs (harmless there); it keeps the contents
    // of a plain file exact where a fake cgroupfs stands in for the kernel.
    const int fd = openFileAt(m_fd, name, O_WRONLY | O_TRUNC, error, m_path);
    if (fd < 0)
        return false;
    const ssize_t written = ::write(fd, value.constData(), size_t(value.size()));
    const int writeErrno = errno;
    ::close(fd);
    if (written == value.size())
        return true;
    if (error) {
        *error = u"writing %1 in %2: %3"_s.arg(
            name, m_path, written < 0 ? qt_error_string(writeErrno) : u"short write"_s);
    }
    return false;
}

std::optional<QByteArray> CgroupDir::readFile(QLatin1StringView name, QString *error) const
{
    if (!isWritableFile(name) && name != readableOnly) {
        if (error)
            *error = u"reading %1 in %2: not an allow-listed cgroup file (refused)"_s.arg(
                name, m_path);
        return std::nullopt;
    }
    const int fd = openFileAt(m_fd, name, O_RDONLY, error, m_path);
    if (fd < 0)
        return std::nullopt;
    QByteArray contents;
    char buffer[4096];
    ssize_t got = 0;
    while ((got = ::read(fd, buffer, sizeof buffer)) > 0 && contents.size() < maxReadBytes)
        contents.append(buffer, got);
    const int readErrno = errno;
    ::close(fd);
    if (got < 0) {
        if (error)
            *error = u"reading %1 in %2: %3"_s.arg(name, m_path, qt_error_string(readErrno));
        return std::nullopt;
    }
    return contents.trimmed();
}

bool CgroupDir::isWritableFile(QLatin1StringView name)
{
    for (const QLatin1StringView allowed : writableFiles) {
        if (name == allowed)
            return true;
    }
    return false;
}

} // namespace Pitwall
