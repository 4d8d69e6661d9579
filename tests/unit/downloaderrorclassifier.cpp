#include "vod/downloaderrorclassifier.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Pitwall;

Q_DECLARE_METATYPE(Pitwall::DownloadFailure::Kind)

namespace {

using Kind = DownloadFailure::Kind;

// yt-dlp 2023.03.04's own texts (research §1.3) plus Twitch's restricted-VOD messages.
const QString notFound404 =
    u"ERROR: [generic] None: Unable to download webpage: HTTP Error 404: Not Found (caused by "
    "<HTTPError 404: 'Not Found'>); please report this issue on  https://github.com/yt-dlp/yt-dlp/"
    "issues?q= , filling out the appropriate issue template. Confirm you are on the latest version "
    "using  yt-dlp -U"_s;
const QString unavailable503 =
    u"ERROR: [generic] None: Unable to download webpage: HTTP Error 503: Service Unavailable "
    "(caused by <HTTPError 503: 'Service Unavailable'>); please report this issue on  "
    "https://github.com/yt-dlp/yt-dlp/issues?q= , filling out the appropriate issue template."_s;

} // namespace

// DownloadErrorClassifier reads only yt-dlp's final ERROR: line.
class DownloadErrorClassifierTest final : public QObject
{
    Q_OBJECT

private slots:
    void classifies_data();
    void classifies();
    void numbersElsewhereDoNotChangeTheClass();
    void lastErrorLineDecides();
    void noErrorLineIsRetryable();
    void reasonIsOneShortLine();
};

void DownloadErrorClassifierTest::classifies_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<QString>("reason");
    QTest::newRow("404") << notFound404 << Kind::NotFound
                         << u"not-found: [generic] None: Unable to download webpage: HTTP Error 404: "
                            "Not Found (caused by <HTTPError 404: 'Not Found'>)"_s;
    QTest::newRow("410") << u"ERROR: unable to download video data: HTTP Error 410: Gone"_s
                         << Kind::NotFound << u"not-found: unable to download video data: HTTP Error 410: Gone"_s;
    QTest::newRow("503") << unavailable503 << Kind::Retryable
                         << u"yt-dlp: [generic] None: Unable to download webpage: HTTP Error 503: "
                            "Service Unavailable (caused by <HTTPError 503: 'Service Unavailable'>)"_s;
    QTest::newRow("429") << u"ERROR: [twitch:vod] 1: HTTP Error 429: Too Many Requests"_s << Kind::Retryable
                         << u"yt-dlp: [twitch:vod] 1: HTTP Error 429: Too Many Requests"_s;
    QTest::newRow("refused") << u"ERROR: [generic] None: Unable to download webpage: <urlopen error "
                                "[Errno 111] Connection refused>"_s
                             << Kind::Retryable
                             << u"yt-dlp: [generic] None: Unable to download webpage: <urlopen error "
                                "[Errno 111] Connection refused>"_s;
    QTest::newRow("subscribers") << u"ERROR: [twitch:vod] 77: This video is only available to subscribers"_s
                                 << Kind::AuthRequired << u"auth-required: subscriber-only"_s;
    QTest::newRow("403 logged in") << u"ERROR: [twitch:vod] 5: HTTP Error 403: Forbidden: you must be "
                                      "logged into an account that owns this video"_s
                                   << Kind::AuthRequired << u"auth-required: subscriber-only"_s;
    QTest::newRow("login required") << u"ERROR: [twitch:vod] 5: Login required"_s << Kind::AuthRequired
                                    << u"auth-required: subscriber-only"_s;
    QTest::newRow("plain 403 is retried") << u"ERROR: unable to download video data: HTTP Error 403: Forbidden"_s
                                          << Kind::Retryable
                                          << u"yt-dlp: unable to download video data: HTTP Error 403: Forbidden"_s;
    QTest::newRow("5xx mentioning subscribers") << u"ERROR: HTTP Error 500: subscriber service down"_s
                                                << Kind::Retryable
                                                << u"yt-dlp: HTTP Error 500: subscriber service down"_s;
    QTest::newRow("unknown") << u"ERROR: something new"_s << Kind::Retryable << u"yt-dlp: something new"_s;
}

void DownloadErrorClassifierTest::classifies()
{
    QFETCH(QString, line);
    QFETCH(Kind, kind);
    QFETCH(QString, reason);
    const DownloadFailure failure = DownloadErrorClassifier::classify({u"WARNING: x"_s, line}, 1);
    QCOMPARE(failure.kind, kind);
    QCOMPARE(failure.reason, reason);
    QCOMPARE(failure.terminal(), kind != Kind::Retryable);
    QVERIFY(failure.detail.startsWith(u"yt-dlp exited with code 1\nlast output:\nWARNING: x\n"_s));
}

// The reference matched bare substrings of the whole output: "5003" in an id made a 404 a 5xx.
void DownloadErrorClassifierTest::numbersElsewhereDoNotChangeTheClass()
{
    const QStringList lines = {u"[generic] Extracting URL: http://127.0.0.1:18080/videos/v5003.mp4"_s,
                               u"[download] Got error: 503 bytes, 5003 more"_s,
                               QString(notFound404).replace(u"None"_s, u"v5003"_s)};
    QCOMPARE(DownloadErrorClassifier::classify(lines, 1).kind, Kind::NotFound);
}

void DownloadErrorClassifierTest::lastErrorLineDecides()
{
    const QStringList lines = {unavailable503, u"[download] retrying"_s, notFound404, u"WARNING: done"_s};
    QCOMPARE(DownloadErrorClassifier::finalErrorLine(lines), notFound404);
    QCOMPARE(DownloadErrorClassifier::classify(lines, 1).kind, Kind::NotFound);
    // A phrase outside the final ERROR: line does not count either.
    QCOMPARE(DownloadErrorClassifier::classify({u"WARNING: only available to subscribers"_s, unavailable503}, 1).kind,
             Kind::Retryable);
}

void DownloadErrorClassifierTest::noErrorLineIsRetryable()
{
    const DownloadFailure failure = DownloadErrorClassifier::classify({u"WARNING: HTTP Error 404"_s}, 2);
    QCOMPARE(failure.kind, Kind::Retryable);
    QCOMPARE(failure.reason, u"yt-dlp exited with code 2"_s);
}

void DownloadErrorClassifierTest::reasonIsOneShortLine()
{
    const QString longLine = u"ERROR: "_s + QString(1000, u'x');
    const DownloadFailure failure = DownloadErrorClassifier::classify({longLine}, 1);
    QVERIFY(failure.reason.size() <= 310);
    QVERIFY(!failure.reason.contains(u'\n'));
    QVERIFY(failure.detail.contains(longLine));
}

QTEST_APPLESS_MAIN(DownloadErrorClassifierTest)
#include "downloaderrorclassifier.moc"
