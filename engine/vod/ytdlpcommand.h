#pragma once

#include "vod/downloadfailure.h"
#include "vod/downloadsettings.h"

#include <QString>
#include <QStringList>

#include <variant>

namespace Pitwall {

// The yt-dlp invocation for one VOD of one channel. Arguments, in the reference's order (later
// yt-dlp options win, so the fixed ones after YTDLP_ARGS cannot be overridden):
//   YTDLP_ARGS..., -v, --limit-rate <bytes/s>,
//   --downloader aria2c --downloader dash,m3u8:native --downloader-args aria2c:...  (aria2c found)
//   --newline --progress-template <progressTemplate()> --continue
//   --retries N --fragment-retries N --retry-sleep exp=S:M --retry-sleep fragment:exp=S:M
//   --concurrent-fragments N --no-cache-dir --no-mtime -o <output> -- <url>
// aria2c takes progressive HTTP only: yt-dlp 2023.03.04 reports no progress for aria2c's
// fragment downloads, and its HLS path already fetches -N fragments at once. aria2c is given
// --summary-interval=1 so its readout lines reach stdout; they are the progress then.
// --no-mtime keeps the file's time the download time, which retention goes by.
class YtDlpCommand final
{
public:
    // Kind::Invalid for a VOD id or channel that cannot name a file; Kind::Retryable for settings
    // that make no usable command (the configuration refuses them first).
    static std::variant<YtDlpCommand, DownloadFailure> build(const DownloadSettings &settings,
                                                             const QString &channel,
                                                             const QString &vodId);

    // Each channel has its own directory, so channels never share or sweep each other's files:
    // <dataDir>/<channel, lower case>/twitch_<id>.mp4, and <dataDir>/twitch_<id>.mp4 for a VOD
    // without a channel. yt-dlp writes <output>.part until it is complete.
    static QString outputPath(const QString &dataDir, const QString &channel, const QString &vodId);
    static QString channelDirectory(const QString &dataDir, const QString &channel);

    // The resolved yt-dlp (its name when the environment's PATH does not have it).
    const QString &program() const { return m_program; }
    const QStringList &arguments() const { return m_arguments; }
    const QString &outputPath() const { return m_outputPath; }
    QString partPath() const { return m_outputPath + QStringLiteral(".part"); }
    const QString &url() const { return m_url; }
    bool usesAria2c() const { return m_usesAria2c; }

private:
    YtDlpCommand() = default;

    QString m_program;
    QStringList m_arguments;
    QString m_outputPath;
    QString m_url;
    bool m_usesAria2c = false;
};

} // namespace Pitwall
