#include "vod/downloadsettings.h"
#include "vod/ytdlpcommand.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Pitwall;

namespace {

const QString templateArgument = u"download:PWPROG %(progress.status)s %(progress.downloaded_bytes)s "
                                 "%(progress.total_bytes)s %(progress.total_bytes_estimate)s "
                                 "%(progress.fragment_index)s %(progress.fragment_count)s"_s;

DownloadSettings baseSettings()
{
    DownloadSettings settings;
    settings.dataDir = u"/srv/vods"_s;
    settings.aria2c = DownloadSettings::Aria2c::Never;
    return settings;
}

YtDlpCommand built(const DownloadSettings &settings, const QString &channel, const QString &id)
{
    auto result = YtDlpCommand::build(settings, channel, id);
    if (const auto *failure = std::get_if<DownloadFailure>(&result))
        qFatal("unexpected failure: %s", qPrintable(failure->reason));
    return std::get<YtDlpCommand>(std::move(result));
}

// An executable file `name` in `dir`.
bool makeExecutable(const QTemporaryDir &dir, const QString &name)
{
    QFile file(dir.filePath(name));
    return file.open(QIODevice::WriteOnly) && file.write("#!/bin/sh\n") > 0
           && file.setPermissions(QFile::ReadOwner | QFile::ExeOwner);
}

} // namespace

// YtDlpCommand's argv, output paths and refusals, and the DownloadSettings rules.
class YtDlpCommandTest final : public QObject
{
    Q_OBJECT

private slots:
    void defaultArgumentsAreBoundedAndParseable();
    void extrasComeFirstInTheReferenceOrder();
    void aria2cOnlyWhenPresentAndOnlyForHttp();
    void programIsFoundOnTheEnvironmentsPath();
    void channelsHaveTheirOwnDirectory();
    void percentInDataDirIsNotATemplateField();
    void refusesWhatCannotNameAFile_data();
    void refusesWhatCannotNameAFile();
    void refusesUnusableSettings();
    void rateLimits_data();
    void rateLimits();
    void urlTemplates();
};

void YtDlpCommandTest::defaultArgumentsAreBoundedAndParseable()
{
    const YtDlpCommand command = built(baseSettings(), u"alice"_s, u"2089673"_s);
    QCOMPARE(command.url(), u"https://www.twitch.tv/videos/2089673"_s);
    QCOMPARE(command.outputPath(), u"/srv/vods/alice/twitch_2089673.mp4"_s);
    QCOMPARE(command.partPath(), u"/srv/vods/alice/twitch_2089673.mp4.part"_s);
    QCOMPARE(command.arguments(),
             (QStringList{u"--newline"_s, u"--progress-template"_s, templateArgument, u"--continue"_s,
                          u"--retries"_s, u"10"_s, u"--fragment-retries"_s, u"10"_s,
                          u"--retry-sleep"_s, u"exp=1:30"_s, u"--retry-sleep"_s, u"fragment:exp=1:30"_s,
                          u"--concurrent-fragments"_s, u"10"_s, u"--no-cache-dir"_s, u"--no-mtime"_s,
                          u"-o"_s, u"/srv/vods/alice/twitch_2089673.mp4"_s, u"--"_s,
                          u"https://www.twitch.tv/videos/2089673"_s}));
    QVERIFY(!command.usesAria2c());
}

void YtDlpCommandTest::extrasComeFirstInTheReferenceOrder()
{
    DownloadSettings settings = baseSettings();
    settings.extraArguments = u"--format \"best[height<=720]\"  --socket-timeout 15"_s;
    settings.verbose = true;
    settings.rateLimit = u"1.5M"_s;
    settings.ytDlpRetries = 4;
    settings.retrySleepStartSeconds = 2;
    settings.retrySleepMaxSeconds = 60;
    const QStringList args = built(settings, u"alice"_s, u"1"_s).arguments();
    QCOMPARE(args.mid(0, 8), (QStringList{u"--format"_s, u"best[height<=720]"_s, u"--socket-timeout"_s,
                                          u"15"_s, u"-v"_s, u"--limit-rate"_s, u"1572864"_s,
                                          u"--newline"_s}));
    QVERIFY(args.join(u' ').contains(u"--retries 4 --fragment-retries 4 --retry-sleep exp=2:60 "
                                     "--retry-sleep fragment:exp=2:60"_s));
}

void YtDlpCommandTest::aria2cOnlyWhenPresentAndOnlyForHttp()
{
    QTemporaryDir bin;
    DownloadSettings settings = baseSettings();
    settings.aria2c = DownloadSettings::Aria2c::WhenPresent;
    settings.environment.insert(u"PATH"_s, bin.path());
    QVERIFY(!built(settings, u"alice"_s, u"1"_s).usesAria2c());

    QVERIFY(makeExecutable(bin, u"aria2c"_s));
    const YtDlpCommand command = built(settings, u"alice"_s, u"1"_s);
    QVERIFY(command.usesAria2c());
    QCOMPARE(command.arguments().mid(0, 7),
             (QStringList{u"--downloader"_s, u"aria2c"_s, u"--downloader"_s, u"dash,m3u8:native"_s,
                          u"--downloader-args"_s,
                          u"aria2c:-x16 -s16 -k1M --file-allocation=none --summary-interval=1"_s,
                          u"--newline"_s}));

    settings.aria2c = DownloadSettings::Aria2c::Never;
    QVERIFY(!built(settings, u"alice"_s, u"1"_s).usesAria2c());
}

void YtDlpCommandTest::programIsFoundOnTheEnvironmentsPath()
{
    QTemporaryDir bin;
    QVERIFY(makeExecutable(bin, u"yt-dlp"_s));
    DownloadSettings settings = baseSettings();
    settings.environment.insert(u"PATH"_s, u"/nonexistent:"_s + bin.path());
    QCOMPARE(built(settings, u"alice"_s, u"1"_s).program(), bin.filePath(u"yt-dlp"_s));
    settings.ytDlpProgram = u"/opt/yt/yt-dlp"_s;
    QCOMPARE(built(settings, u"alice"_s, u"1"_s).program(), u"/opt/yt/yt-dlp"_s);
}

void YtDlpCommandTest::channelsHaveTheirOwnDirectory()
{
    QCOMPARE(YtDlpCommand::outputPath(u"/srv/vods/"_s, u"Alice"_s, u"7"_s), u"/srv/vods/alice/twitch_7.mp4"_s);
    QCOMPARE(YtDlpCommand::outputPath(u"/srv/vods"_s, u"bob"_s, u"7"_s), u"/srv/vods/bob/twitch_7.mp4"_s);
    QCOMPARE(YtDlpCommand::outputPath(u"/srv/vods"_s, QString(), u"7"_s), u"/srv/vods/twitch_7.mp4"_s);
    QCOMPARE(YtDlpCommand::channelDirectory(u"/srv/vods"_s, u"bob"_s), u"/srv/vods/bob"_s);
}

void YtDlpCommandTest::percentInDataDirIsNotATemplateField()
{
    DownloadSettings settings = baseSettings();
    settings.dataDir = u"/srv/100%(id)s"_s;
    const YtDlpCommand command = built(settings, u"alice"_s, u"1"_s);
    QCOMPARE(command.outputPath(), u"/srv/100%(id)s/alice/twitch_1.mp4"_s);
    const QStringList args = command.arguments();
    QCOMPARE(args.at(args.indexOf(u"-o"_s) + 1), u"/srv/100%%(id)s/alice/twitch_1.mp4"_s);
}

void YtDlpCommandTest::refusesWhatCannotNameAFile_data()
{
    QTest::addColumn<QString>("channel");
    QTest::addColumn<QString>("id");
    QTest::newRow("traversal id") << u"alice"_s << u"../x"_s;
    QTest::newRow("option id") << u"alice"_s << u"-x"_s;
    QTest::newRow("empty id") << u"alice"_s << QString();
    QTest::newRow("slash channel") << u"a/b"_s << u"1"_s;
    QTest::newRow("dots channel") << u".."_s << u"1"_s;
}

void YtDlpCommandTest::refusesWhatCannotNameAFile()
{
    QFETCH(QString, channel);
    QFETCH(QString, id);
    const auto result = YtDlpCommand::build(baseSettings(), channel, id);
    const auto *failure = std::get_if<DownloadFailure>(&result);
    QVERIFY(failure);
    QVERIFY(failure->kind == DownloadFailure::Kind::Invalid);
    QVERIFY(failure->terminal());
    QVERIFY(failure->reason.startsWith(u"invalid: "_s));
}

void YtDlpCommandTest::refusesUnusableSettings()
{
    DownloadSettings settings = baseSettings();
    settings.rateLimit = u"fast"_s;
    auto result = YtDlpCommand::build(settings, u"alice"_s, u"1"_s);
    QVERIFY(std::holds_alternative<DownloadFailure>(result));
    QCOMPARE(std::get<DownloadFailure>(result).reason,
             u"config: DOWNLOAD_RATE_LIMIT=\"fast\" must be a positive rate in bytes per second such "
             "as 500K, 1.5M or 1G"_s);
    QVERIFY(!std::get<DownloadFailure>(result).terminal());

    settings = baseSettings();
    settings.dataDir.clear();
    result = YtDlpCommand::build(settings, u"alice"_s, u"1"_s);
    QVERIFY(std::holds_alternative<DownloadFailure>(result));
}

void YtDlpCommandTest::rateLimits_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<qint64>("bytes");
    QTest::newRow("K") << u"500K"_s << qint64(512000);
    QTest::newRow("KB, refused by yt-dlp itself") << u"500KB"_s << qint64(512000);
    QTest::newRow("decimal M") << u"1.5M"_s << qint64(1572864);
    QTest::newRow("lower case MiB") << u"2mib"_s << qint64(2097152);
    QTest::newRow("G") << u"1G"_s << qint64(1073741824);
    QTest::newRow("plain bytes") << u"100000"_s << qint64(100000);
    QTest::newRow("zero") << u"0"_s << qint64(0);
    QTest::newRow("negative") << u"-1M"_s << qint64(0);
    QTest::newRow("word") << u"fast"_s << qint64(0);
    QTest::newRow("unit T") << u"1T"_s << qint64(0);
}

void YtDlpCommandTest::rateLimits()
{
    QFETCH(QString, value);
    QFETCH(qint64, bytes);
    QCOMPARE(DownloadSettings::rateLimitBytes(value), bytes);
    QCOMPARE(DownloadSettings::rateLimitRule(value).has_value(), bytes == 0);
    QVERIFY(!DownloadSettings::rateLimitRule(QString()));
}

void YtDlpCommandTest::urlTemplates()
{
    QVERIFY(!DownloadSettings::urlTemplateRule(u"https://www.twitch.tv/videos/{id}"_s));
    QVERIFY(!DownloadSettings::urlTemplateRule(u"http://127.0.0.1:18080/videos/{id}.mp4"_s));
    QVERIFY(DownloadSettings::urlTemplateRule(u"https://www.twitch.tv/videos/"_s));
    QVERIFY(DownloadSettings::urlTemplateRule(u"ftp://host/{id}"_s));
    QVERIFY(DownloadSettings::urlTemplateRule(u"/videos/{id}"_s));
    DownloadSettings settings = baseSettings();
    settings.urlTemplate = u"http://127.0.0.1:18080/videos/{id}.mp4"_s;
    QCOMPARE(built(settings, u"alice"_s, u"v1"_s).url(), u"http://127.0.0.1:18080/videos/v1.mp4"_s);
}

QTEST_APPLESS_MAIN(YtDlpCommandTest)
#include "ytdlpcommand.moc"
