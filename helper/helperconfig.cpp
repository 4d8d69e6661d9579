#include "helperconfig.h"

#include "cgroupmanager.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSet>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// Sets `problem` when the key is unknown or the value invalid.
void applyValue(HelperConfig &config, const QString &key, const QString &value, QString *problem)
{
    if (key == u"cgroup_base") {
        config.cgroupBase = value;
        if (!CgroupManager::isValidBase(value))
            *problem = u"cgroup_base must be one directory name (letters, digits, '.', '_', '-')"_s;
    } else if (key == u"target_commands") {
        config.targetCommands.clear();
        for (const QString &command : value.split(u',')) {
            config.targetCommands << command.trimmed();
            if (!HelperConfig::isValidCommand(command.trimmed()))
                *problem = u"target_commands: invalid command name \"%1\""_s.arg(command.trimmed());
        }
    } else if (key == u"cgroup_root") {
        config.cgroupRoot = value;
        if (!value.isEmpty() && (!value.startsWith(u'/') || QDir::cleanPath(value) != value))
            *problem = u"cgroup_root must be an absolute, normalised path"_s;
    } else {
        *problem = u"unknown key \"%1\""_s.arg(key.left(40));
    }
}

} // namespace

std::optional<HelperConfig> HelperConfig::parse(const QByteArray &text, QString *error)
{
    HelperConfig config;
    QSet<QString> seen;
    int lineNumber = 0;
    for (const QByteArray &rawLine : text.split('\n')) {
        ++lineNumber;
        const QString line = QString::fromUtf8(rawLine).trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        const qsizetype equals = line.indexOf(u'=');
        const QString key = line.left(equals).trimmed();
        QString problem;
        if (equals < 0)
            problem = u"expected key=value"_s;
        else if (seen.contains(key))
            problem = u"\"%1\" is set twice"_s.arg(key);
        else
            applyValue(config, key, line.mid(equals + 1).trimmed(), &problem);
        if (!problem.isEmpty()) {
            if (error)
                *error = u"line %1: %2"_s.arg(lineNumber).arg(problem);
            return std::nullopt;
        }
        seen.insert(key);
    }
    return config;
}

std::optional<HelperConfig> HelperConfig::load(const QString &path, QString *error)
{
    const auto fail = [&](const QString &problem) {
        if (error)
            *error = path + u": "_s + problem;
        return std::nullopt;
    };
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK
                                                                   | O_CLOEXEC);
    if (fd < 0)
        return fail(qt_error_string(errno));
    struct stat info {};
    QByteArray text;
    QString problem;
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode))
        problem = u"not a regular file"_s;
    else if (info.st_uid != 0)
        problem = u"not owned by root (uid %1)"_s.arg(info.st_uid);
    else if (info.st_mode & (S_IWGRP | S_IWOTH))
        problem = u"writable by group or others (mode %1)"_s.arg(uint(info.st_mode & 07777), 4, 8,
                                                                  QChar(u'0'));
    else if (info.st_size > MaxBytes)
        problem = u"larger than %1 bytes"_s.arg(MaxBytes);
    if (problem.isEmpty()) {
        text.resize(qsizetype(info.st_size));
        const ssize_t got = ::read(fd, text.data(), size_t(text.size()));
        if (got < 0)
            problem = qt_error_string(errno);
        text.truncate(got < 0 ? 0 : qsizetype(got));
    }
    ::close(fd);
    if (!problem.isEmpty())
        return fail(problem);
    QString parseError;
    auto config = parse(text, &parseError);
    if (!config)
        return fail(parseError);
    return config;
}

bool HelperConfig::isValidCommand(const QString &command)
{
    static const QRegularExpression shape(u"\\A[A-Za-z0-9._-]{1,64}\\z"_s);
    return command != u"."_s && command != u".."_s && shape.match(command).hasMatch();
}

} // namespace Pitwall
