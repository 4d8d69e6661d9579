#include "vod/ytdlpcommand.h"

#include "vod/progressline.h"

#include <QDir>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// Twitch VOD ids are digits; tests and stand-ins use short names. Nothing that could leave the
// directory or be read as an option.
bool validVodId(const QString &id)
{
    static const QRegularExpression pattern(u"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"_s);
    return pattern.match(id).hasMatch();
}

// Twitch logins; empty for a VOD without a channel.
bool validChannel(const QString &channel)
{
    static const QRegularExpression pattern(u"^[A-Za-z0-9_]{0,25}$"_s);
    return pattern.match(channel).hasMatch();
}

QString findOnPath(const QString &name, const QProcessEnvironment &environment)
{
    if (name.contains(u'/'))
        return name;
    const QStringList path = environment.value(u"PATH"_s).split(u':', Qt::SkipEmptyParts);
    // findExecutable searches this process's PATH when given none; yt-dlp's counts here.
    if (path.isEmpty())
        return name;
    const QString found = QStandardPaths::findExecutable(name, path);
    return found.isEmpty() ? name : found;
}

DownloadFailure failure(DownloadFailure::Kind kind, const QString &reason)
{
    DownloadFailure result;
    result.kind = kind;
    result.reason = reason;
    return result;
}

} // namespace

QString YtDlpCommand::channelDirectory(const QString &dataDir, const QString &channel)
{
    return channel.isEmpty() ? QDir::cleanPath(dataDir) : QDir(dataDir).filePath(channel.toLower());
}

QString YtDlpCommand::outputPath(const QString &dataDir, const QString &channel, const QString &vodId)
{
    return QDir(channelDirectory(dataDir, channel)).filePath(u"twitch_%1.mp4"_s.arg(vodId));
}

std::variant<YtDlpCommand, DownloadFailure> YtDlpCommand::build(const DownloadSettings &settings,
                                                                const QString &channel,
                                                                const QString &vodId)
{
    if (!validVodId(vodId))
        return failure(DownloadFailure::Kind::Invalid,
                       u"invalid: VOD id \"%1\" cannot name a file"_s.arg(vodId));
    if (!validChannel(channel))
        return failure(DownloadFailure::Kind::Invalid,
                       u"invalid: channel \"%1\" cannot name a directory"_s.arg(channel));
    if (settings.dataDir.isEmpty())
        return failure(DownloadFailure::Kind::Retryable, u"config: DATA_DIR is empty"_s);
    if (const auto rule = DownloadSettings::rateLimitRule(settings.rateLimit))
        return failure(DownloadFailure::Kind::Retryable,
                       u"config: DOWNLOAD_RATE_LIMIT=\"%1\" %2"_s.arg(settings.rateLimit, *rule));
    if (const auto rule = DownloadSettings::urlTemplateRule(settings.urlTemplate))
        return failure(DownloadFailure::Kind::Retryable,
                       u"config: VOD_URL_TEMPLATE=\"%1\" %2"_s.arg(settings.urlTemplate, *rule));

    YtDlpCommand command;
    command.m_program = findOnPath(settings.ytDlpProgram, settings.environment);
    command.m_outputPath = outputPath(settings.dataDir, channel, vodId);
    command.m_url = QString(settings.urlTemplate).replace(u"{id}"_s, vodId);

    QStringList &args = command.m_arguments;
    args = QProcess::splitCommand(settings.extraArguments);
    if (settings.verbose)
        args << u"-v"_s;
    if (const qint64 rate = DownloadSettings::rateLimitBytes(settings.rateLimit); rate > 0)
        args << u"--limit-rate"_s << QString::number(rate);
    if (settings.aria2c == DownloadSettings::Aria2c::WhenPresent) {
        // yt-dlp looks aria2c up on the same PATH.
        command.m_usesAria2c = findOnPath(u"aria2c"_s, settings.environment).contains(u'/');
        if (command.m_usesAria2c)
            args << u"--downloader"_s << u"aria2c"_s << u"--downloader"_s << u"dash,m3u8:native"_s
                 << u"--downloader-args"_s
                 << u"aria2c:-x16 -s16 -k1M --file-allocation=none --summary-interval=1"_s;
    }
    const QString retries = QString::number(settings.ytDlpRetries);
    const QString sleep =
        u"exp=%1:%2"_s.arg(settings.retrySleepStartSeconds).arg(settings.retrySleepMaxSeconds);
    // -o is an output template: a '%' in DATA_DIR must not start a field.
    const QString output = QString(command.m_outputPath).replace(u'%', u"%%"_s);
    args << u"--newline"_s << u"--progress-template"_s << progressTemplate() << u"--continue"_s
         << u"--retries"_s << retries << u"--fragment-retries"_s << retries
         << u"--retry-sleep"_s << sleep << u"--retry-sleep"_s << u"fragment:"_s + sleep
         << u"--concurrent-fragments"_s << QString::number(settings.concurrentFragments)
         << u"--no-cache-dir"_s << u"--no-mtime"_s << u"-o"_s << output << u"--"_s << command.m_url;
    return command;
}

} // namespace Pitwall
