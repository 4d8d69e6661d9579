#include "vod/chatmessage.h"
#include "vod/ircmessage.h"

#include <QDir>
#include <QFile>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Pitwall;

// Replays the IRC line fuzzer's seeds (tests/fuzz/corpus/ircmessage) in every build: an ok-*
// seed parses and survives serialize/parse unchanged (an ok-privmsg-* one is also a chat
// message), a malformed-* seed is refused.
class IrcCorpusTest final : public QObject
{
    Q_OBJECT

private slots:
    void seed_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("valid");
        const QDir dir(QStringLiteral(PITWALL_SOURCE_DIR "/tests/fuzz/corpus/ircmessage"));
        const QStringList files = dir.entryList(QDir::Files, QDir::Name);
        QVERIFY2(files.size() >= 2, qPrintable(dir.path()));
        for (const QString &name : files) {
            const bool valid = name.startsWith(u"ok-"_s);
            QVERIFY2(valid || name.startsWith(u"malformed-"_s),
                     qPrintable(name + u": a seed is named ok-* or malformed-*"_s));
            QTest::newRow(qPrintable(name)) << dir.filePath(name) << valid;
        }
    }

    void seed()
    {
        QFETCH(QString, path);
        QFETCH(bool, valid);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const std::optional<IrcMessage> message = IrcMessage::parse(file.readAll());
        QCOMPARE(message.has_value(), valid);
        if (!message)
            return;
        QCOMPARE(IrcMessage::parse(message->serialize()), message);
        if (QFileInfo(path).fileName().startsWith(u"ok-privmsg-"_s))
            QVERIFY(ChatMessage::fromPrivmsg(*message, QDateTime::currentDateTimeUtc()));
    }
};

QTEST_APPLESS_MAIN(IrcCorpusTest)
#include "irccorpus.moc"
