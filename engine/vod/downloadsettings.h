#pragma once

#include <QProcessEnvironment>
#include <QString>

#include <chrono>
#include <optional>

namespace Pitwall {

// How VOD media is fetched with yt-dlp (research §1.3, §4, §10). The env names in the comments
// are mapped by the VOD config keys.
struct DownloadSettings
{
    enum class Aria2c {
        WhenPresent, // aria2c on the environment's PATH downloads progressive HTTP media
        Never,       // always yt-dlp's own downloader (tests, benchmarks against bare yt-dlp)
    };

    // DATA_DIR: media goes to <dataDir>/<channel>/twitch_<id>.mp4 (YtDlpCommand::outputPath).
    QString dataDir;
    // MAX_CONCURRENT_DOWNLOADS: yt-dlp processes at once across all channels (DownloadSlots).
    int maxConcurrentDownloads = 1;
    // DOWNLOAD_RATE_LIMIT: bytes per second, e.g. 500K, 1.5M, 1G (K = 1024; a trailing B or iB
    // is accepted); empty means unlimited.
    QString rateLimit;
    // YTDLP_ARGS: extra yt-dlp arguments, split as QProcess::splitCommand does ("..." quoting).
    QString extraArguments;
    // YTDLP_VERBOSE (or a debug log level): yt-dlp -v, its debug lines land in the error tail.
    bool verbose = false;
    // DOWNLOAD_MAX_ATTEMPTS: yt-dlp invocations per cycle (DownloadAttempts).
    int maxAttempts = 5;
    // DOWNLOAD_BACKOFF_BASE: before invocation n (n >= 1) the wait is base * 2^n + [0, base).
    std::chrono::milliseconds backoffBase = std::chrono::seconds(2);
    // VOD_URL_TEMPLATE: what yt-dlp is given; {id} is the Twitch VOD id.
    QString urlTemplate = QStringLiteral("https://www.twitch.tv/videos/{id}");
    // A name is looked up on the environment's PATH, a path is used as it is.
    QString ytDlpProgram = QStringLiteral("yt-dlp");
    // No byte of progress for this long fails the invocation as "stalled" (retryable). It must
    // exceed yt-dlp's longest retry sleep, or a retry in progress is taken for a stall.
    std::chrono::milliseconds stallTimeout = std::chrono::minutes(5);
    // yt-dlp's own retries inside one invocation (--retries, --fragment-retries), bounded: with
    // "infinite" a media URL that keeps answering 503 makes yt-dlp loop without end.
    int ytDlpRetries = 10;
    // --retry-sleep exp=START:MAX for HTTP and fragment retries (seconds, doubling).
    int retrySleepStartSeconds = 1;
    int retrySleepMaxSeconds = 30;
    // yt-dlp -N for HLS: fragments fetched at once.
    int concurrentFragments = 10;
    Aria2c aria2c = Aria2c::WhenPresent;
    // Cancel sends SIGTERM to the process group and SIGKILL this much later.
    std::chrono::milliseconds killGrace = std::chrono::seconds(1);
    // The persisted progress (DownloadJob::progressPersist) is written at most this often.
    std::chrono::milliseconds persistInterval = std::chrono::seconds(1);
    // yt-dlp's environment; its PATH also decides where yt-dlp and aria2c are found.
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();

    // The rule a DOWNLOAD_RATE_LIMIT value breaks, nothing when it is usable (empty included).
    static std::optional<QString> rateLimitRule(const QString &value);
    // A usable DOWNLOAD_RATE_LIMIT in bytes per second; 0 for empty or unusable values.
    static qint64 rateLimitBytes(const QString &value);
    // The rule a VOD_URL_TEMPLATE value breaks: an http(s) URL containing {id}.
    static std::optional<QString> urlTemplateRule(const QString &value);
};

} // namespace Pitwall
