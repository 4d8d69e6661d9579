#include "helperconfig.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace Pitwall;

class CgroupHelperConfigTest final : public QObject
{
    Q_OBJECT

private slots:
    void parsesEveryKey()
    {
        QString error;
        const auto config = HelperConfig::parse("# pitwall-helper\n\n cgroup_base = pitwall-test \n"
                                                "target_commands=ffmpeg, gst-launch-1.0 ,x264\n"
                                                "cgroup_root=/sys/fs/cgroup\n",
                                                &error);
        QVERIFY2(config, qPrintable(error));
        QCOMPARE(config->cgroupBase, u"pitwall-test"_s);
        QCOMPARE(config->targetCommands, (QStringList{u"ffmpeg"_s, u"gst-launch-1.0"_s, u"x264"_s}));
        QCOMPARE(config->cgroupRoot, u"/sys/fs/cgroup"_s);
    }

    void defaults()
    {
        const auto config = HelperConfig::parse("", nullptr);
        QVERIFY(config);
        QCOMPARE(config->cgroupBase, u"pitwall"_s);
        QCOMPARE(config->targetCommands, (QStringList{u"ffmpeg"_s, u"gst-launch-1.0"_s}));
        QVERIFY(config->cgroupRoot.isEmpty());
        QVERIFY(HelperConfig::parse("cgroup_root=\n", nullptr)->cgroupRoot.isEmpty());
    }

    void refuses_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown key") << QByteArray("cgroup_base=p\nproc_root=/tmp\n") << u"line 2: unknown key \"proc_root\""_s;
        QTest::newRow("no equals") << QByteArray("cgroup_base\n") << u"line 1: expected key=value"_s;
        QTest::newRow("twice") << QByteArray("cgroup_base=a\ncgroup_base=b\n") << u"line 2: \"cgroup_base\" is set twice"_s;
        QTest::newRow("base traversal") << QByteArray("cgroup_base=../etc\n") << u"cgroup_base"_s;
        QTest::newRow("base dotdot") << QByteArray("cgroup_base=..\n") << u"cgroup_base"_s;
        QTest::newRow("base nested") << QByteArray("cgroup_base=a/b\n") << u"cgroup_base"_s;
        QTest::newRow("base empty") << QByteArray("cgroup_base=\n") << u"cgroup_base"_s;
        QTest::newRow("command path") << QByteArray("target_commands=/usr/bin/ffmpeg\n") << u"/usr/bin/ffmpeg"_s;
        QTest::newRow("command empty") << QByteArray("target_commands=ffmpeg,,x\n") << u"target_commands"_s;
        QTest::newRow("root relative") << QByteArray("cgroup_root=sys/fs/cgroup\n") << u"cgroup_root"_s;
        QTest::newRow("root traversal") << QByteArray("cgroup_root=/sys/fs/cgroup/../../etc\n") << u"cgroup_root"_s;
    }

    void refuses()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, mentions);
        QString error;
        QVERIFY(!HelperConfig::parse(text, &error));
        QVERIFY2(error.contains(mentions), qPrintable(error));
    }

    // Whoever can write the file decides what root writes where: only root may.
    void loadChecksOwnershipAndMode()
    {
        if (::geteuid() != 0)
            QSKIP("needs root: the file must be owned by uid 0, and chown to another user");
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(u"helper.conf"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("cgroup_base=pitwall-test\n");
        file.close();
        QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup
                                                | QFile::ReadOther));
        QString error;
        const auto config = HelperConfig::load(path, &error);
        QVERIFY2(config, qPrintable(error));
        QCOMPARE(config->cgroupBase, u"pitwall-test"_s);

        QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::WriteOther));
        QVERIFY(!HelperConfig::load(path, &error));
        QVERIFY2(error.contains(u"writable by group or others (mode 0602)"_s), qPrintable(error));
        QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::WriteGroup));
        QVERIFY(!HelperConfig::load(path, &error));
        QVERIFY2(error.contains(u"writable by group"_s), qPrintable(error));

        QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner));
        QCOMPARE(::chown(QFile::encodeName(path).constData(), 65534, 65534), 0);
        QVERIFY(!HelperConfig::load(path, &error));
        QVERIFY2(error.contains(u"not owned by root (uid 65534)"_s), qPrintable(error));
        QCOMPARE(::chown(QFile::encodeName(path).constData(), 0, 0), 0);

        const QString link = dir.filePath(u"link.conf"_s);
        QVERIFY(QFile::link(path, link));
        QVERIFY(!HelperConfig::load(link, &error));
        QVERIFY2(error.startsWith(link), qPrintable(error));

        QVERIFY(!HelperConfig::load(dir.path(), &error));
        QVERIFY2(error.contains(u"not a regular file"_s), qPrintable(error));
        QVERIFY(!HelperConfig::load(dir.filePath(u"missing.conf"_s), &error));
        QVERIFY2(error.contains(u"No such file"_s), qPrintable(error));
    }

    void loadRefusesInvalidContent()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"helper.conf"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("cgroup_base=ok\nbogus=1\n");
        file.close();
        QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner));
        QString error;
        QVERIFY(!HelperConfig::load(path, &error));
        if (::geteuid() == 0)
            QCOMPARE(error, path + u": line 2: unknown key \"bogus\""_s);
        else
            QVERIFY2(error.contains(u"not owned by root"_s), qPrintable(error));
    }
};

QTEST_APPLESS_MAIN(CgroupHelperConfigTest)
#include "cgrouphelperconfig.moc"
