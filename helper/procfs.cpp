#include "procfs.h"

#include <QFile>

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <limits>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// /proc/stat lists every interrupt on one line and grows with the machine; nothing we read
// legitimately exceeds this, so a larger file is treated as unreadable instead of eating memory.
constexpr qsizetype MaxFileBytes = 4 * 1024 * 1024;

enum class ReadUntil { End, FirstNul };

// Reads the file whole, or only up to its first NUL (cmdline: just argv[0]). POSIX calls
// instead of QFile: a scan reads many of these tiny files and QFile's overhead would dominate.
std::optional<QByteArray> readFile(const QByteArray &path, ReadUntil until = ReadUntil::End,
                                   qsizetype limit = MaxFileBytes)
{
    const int fd = ::open(path.constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return std::nullopt;
    QByteArray data;
    qsizetype chunk = 4096;
    bool failed = false;
    while (data.size() < limit) {
        const qsizetype used = data.size();
        data.resize(std::min(used + chunk, limit));
        const ssize_t got = ::read(fd, data.data() + used, size_t(data.size() - used));
        if (got < 0 && errno == EINTR) {
            data.resize(used);
            continue;
        }
        if (got <= 0) {
            data.resize(used);
            failed = got < 0; // ESRCH when the process exited between open and read
            break;
        }
        data.resize(used + got);
        if (until == ReadUntil::FirstNul && data.indexOf('\0', used) >= 0)
            break;
        chunk *= 2;
    }
    ::close(fd);
    if (failed || data.size() >= limit)
        return std::nullopt;
    return data;
}

// A whole unsigned decimal number, or nothing.
std::optional<quint64> parseNumber(QByteArrayView text)
{
    bool ok = false;
    const quint64 value = text.toULongLong(&ok);
    return ok ? std::optional<quint64>(value) : std::nullopt;
}

// Value of the first line starting with `key` (e.g. "Uid:" or "btime "), up to the first
// whitespace after the key's own whitespace.
QByteArrayView fieldAfter(const QByteArray &text, QByteArrayView key)
{
    qsizetype at = text.startsWith(key) ? 0 : -1;
    if (at < 0) {
        const qsizetype found = text.indexOf("\n" + key.toByteArray());
        if (found < 0)
            return {};
        at = found + 1;
    }
    qsizetype begin = at + key.size();
    while (begin < text.size() && (text[begin] == ' ' || text[begin] == '\t'))
        ++begin;
    qsizetype end = begin;
    while (end < text.size() && text[end] != ' ' && text[end] != '\t' && text[end] != '\n')
        ++end;
    return QByteArrayView(text).sliced(begin, end - begin);
}

} // namespace

ProcFs::ProcFs(QString root)
    : m_root(std::move(root))
    , m_rootBytes(QFile::encodeName(m_root))
{
}

QByteArray ProcFs::pidPath(int pid, const char *entry) const
{
    return m_rootBytes + '/' + QByteArray::number(pid) + '/' + entry;
}

QList<int> ProcFs::pids() const
{
    QList<int> result;
    DIR *dir = ::opendir(m_rootBytes.constData());
    if (!dir)
        return result;
    while (const dirent *entry = ::readdir(dir)) {
        const char *name = entry->d_name;
        if (*name < '1' || *name > '9')
            continue;
        bool ok = false;
        const int pid = QByteArrayView(name).toInt(&ok);
        if (ok && pid > 0)
            result.append(pid);
    }
    ::closedir(dir);
    return result;
}

std::optional<ProcessStat> ProcFs::stat(int pid) const
{
    const auto content = readFile(pidPath(pid, "stat"));
    if (!content)
        return std::nullopt;
    // "<pid> (<comm>) <state> <ppid> ...": comm is free text ("a) (b" is a valid name), so the
    // numeric fields start after the LAST ')' and comm is everything between it and the first '('.
    const qsizetype open = content->indexOf('(');
    const qsizetype close = content->lastIndexOf(')');
    if (open < 1 || close < open)
        return std::nullopt;
    const auto statPid = parseNumber(QByteArrayView(*content).first(open).trimmed());
    if (!statPid || *statPid != quint64(pid))
        return std::nullopt;
    const QList<QByteArray> fields = content->mid(close + 1).simplified().split(' ');
    // fields[0] is field 3 (state) of proc(5); starttime is field 22, so fields[19].
    if (fields.size() < 20 || fields[0].size() != 1)
        return std::nullopt;
    const auto ppid = parseNumber(fields[1]);
    const auto utime = parseNumber(fields[11]);
    const auto stime = parseNumber(fields[12]);
    const auto start = parseNumber(fields[19]);
    if (!ppid || !utime || !stime || !start)
        return std::nullopt;

    ProcessStat result;
    result.pid = pid;
    result.ppid = int(*ppid);
    result.comm = QString::fromUtf8(content->mid(open + 1, close - open - 1));
    result.state = fields[0][0];
    result.startTimeTicks = *start;
    result.utimeTicks = *utime;
    result.stimeTicks = *stime;
    return result;
}

std::optional<uint> ProcFs::realUid(int pid) const
{
    const auto content = readFile(pidPath(pid, "status"));
    if (!content)
        return std::nullopt;
    // "Uid:\t<real>\t<effective>\t<saved>\t<fs>"
    const auto uid = parseNumber(fieldAfter(*content, "Uid:"));
    if (!uid || *uid > std::numeric_limits<uint>::max())
        return std::nullopt;
    return uint(*uid);
}

QString ProcFs::readLink(int pid, const char *entry) const
{
    char buffer[PATH_MAX];
    const ssize_t length = ::readlink(pidPath(pid, entry).constData(), buffer, sizeof buffer);
    if (length <= 0 || size_t(length) >= sizeof buffer)
        return QString();
    // The kernel appends " (deleted)" when the target was removed after the process got it (a
    // package upgrade under a running ffmpeg, a cleaned-up job dir); the path is still the one
    // the process runs from.
    QByteArrayView path(buffer, length);
    static constexpr QByteArrayView deleted(" (deleted)");
    if (path.endsWith(deleted))
        path.chop(deleted.size());
    return QFile::decodeName(path.toByteArray());
}

QString ProcFs::exePath(int pid) const
{
    return readLink(pid, "exe");
}

QString ProcFs::cwd(int pid) const
{
    return readLink(pid, "cwd");
}

QString ProcFs::argv0(int pid) const
{
    const auto content = readFile(pidPath(pid, "cmdline"), ReadUntil::FirstNul, 64 * 1024);
    if (!content)
        return QString();
    const qsizetype end = content->indexOf('\0');
    return QFile::decodeName(end < 0 ? *content : content->first(end));
}

std::optional<qint64> ProcFs::bootTimeSeconds() const
{
    const auto content = readFile(m_rootBytes + "/stat");
    if (!content)
        return std::nullopt;
    const auto btime = parseNumber(fieldAfter(*content, "btime "));
    if (!btime || *btime > quint64(std::numeric_limits<qint64>::max()))
        return std::nullopt;
    return qint64(*btime);
}

long ProcFs::clockTicksPerSecond()
{
    static const long ticks = [] {
        const long value = ::sysconf(_SC_CLK_TCK);
        return value > 0 ? value : 100; // USER_HZ is 100 on every Linux ABI
    }();
    return ticks;
}

QString ProcFs::commandOf(const QString &exePath)
{
    return exePath.mid(exePath.lastIndexOf(u'/') + 1);
}

} // namespace Pitwall
