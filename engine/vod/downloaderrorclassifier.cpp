#include "vod/downloaderrorclassifier.h"

#include <QRegularExpression>

#include <algorithm>
#include <iterator>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

// processing_error stays one readable line.
constexpr qsizetype maxReasonLength = 300;

// "ERROR: [generic] None: Unable to download webpage: HTTP Error 404: Not Found (caused by
// ...); please report this issue on ..." without the prefix and yt-dlp's bug-report advice.
QString errorText(const QString &line)
{
    QString text = line.mid(qsizetype(std::size("ERROR:")) - 1).trimmed();
    const qsizetype advice = text.indexOf(u"; please report this issue"_s);
    if (advice >= 0)
        text.truncate(advice);
    if (text.size() > maxReasonLength)
        text = text.left(maxReasonLength - 1) + u"…"_s;
    return text;
}

bool loginRequired(const QString &line)
{
    static const QStringList phrases = {u"subscriber"_s, u"must be logged into"_s, u"login required"_s};
    return std::any_of(phrases.cbegin(), phrases.cend(), [&line](const QString &phrase) {
        return line.contains(phrase, Qt::CaseInsensitive);
    });
}

} // namespace

QString DownloadErrorClassifier::finalErrorLine(const QStringList &stderrLines)
{
    for (auto it = stderrLines.crbegin(); it != stderrLines.crend(); ++it) {
        if (it->startsWith(u"ERROR:"_s))
            return *it;
    }
    return {};
}

QString DownloadErrorClassifier::detail(const QString &exitStatus, const QStringList &stderrLines)
{
    return exitStatus + u"\nlast output:\n"_s + stderrLines.join(u'\n');
}

DownloadFailure DownloadErrorClassifier::classify(const QStringList &stderrLines, int exitCode)
{
    const QString exitStatus = u"yt-dlp exited with code %1"_s.arg(exitCode);
    DownloadFailure failure;
    failure.detail = detail(exitStatus, stderrLines);
    const QString line = finalErrorLine(stderrLines);
    if (line.isEmpty()) {
        failure.reason = exitStatus;
        return failure;
    }
    static const QRegularExpression httpError(u"HTTP Error (\\d{3})"_s);
    const QRegularExpressionMatch match = httpError.match(line);
    const int status = match.hasMatch() ? match.captured(1).toInt() : 0;
    if (status == 404 || status == 410) {
        failure.kind = DownloadFailure::Kind::NotFound;
        failure.reason = u"not-found: "_s + errorText(line);
    } else if ((status == 0 || status == 401 || status == 403) && loginRequired(line)) {
        failure.kind = DownloadFailure::Kind::AuthRequired;
        failure.reason = u"auth-required: subscriber-only"_s;
    } else {
        failure.reason = u"yt-dlp: "_s + errorText(line);
    }
    return failure;
}

} // namespace Pitwall
