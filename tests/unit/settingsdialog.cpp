#include "consolesettings.h"
#include "settingsdialog.h"
#include "watch/watchconfig.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QProcessEnvironment>
#include <QPushButton>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using Pitwall::ConsoleSettings;
using Pitwall::SettingsDialog;

class SettingsDialogTest final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_settingsDir;
    QTemporaryDir m_dir;

    QString writeFile(const QString &name, const QByteArray &content)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    // Fills in the watch group as a user would and presses OK.
    static void submit(SettingsDialog &dialog, bool enabled, const QString &file)
    {
        dialog.findChild<QCheckBox *>(u"watchEnabled"_s)->setChecked(enabled);
        dialog.findChild<QLineEdit *>(u"watchConfigFile"_s)->setText(file);
        QTest::mouseClick(dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok),
                          Qt::LeftButton);
    }

    static QString errorText(const SettingsDialog &dialog)
    {
        const auto *label = dialog.findChild<QLabel *>(u"settingsError"_s);
        return label->isVisible() ? label->text() : QString();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_settingsDir.isValid());
        QVERIFY(m_dir.isValid());
        // The user's real settings stay untouched: every QSettings here lives in the temp dir.
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
    }

    void init()
    {
        ConsoleSettings().setWatch(false, QString());
        ConsoleSettings().setLanguage(QString());
    }

    void consoleSettingsGiveTheFileOnlyWhenEnabled()
    {
        const QString file = m_dir.filePath(u"watch-config.yaml"_s);
        ConsoleSettings().setWatch(false, file);
        QCOMPARE(ConsoleSettings().watchConfigFile(), file);
        QCOMPARE(ConsoleSettings().enabledWatchConfigFile(), QString());
        ConsoleSettings().setWatch(true, file);
        QVERIFY(ConsoleSettings().watchEnabled());
        QCOMPARE(ConsoleSettings().enabledWatchConfigFile(), file);
        QCOMPARE(QSettings(u"pitwall"_s, u"pitwall"_s).value(u"watch/enabled"_s).toBool(), true);
    }

    void refusesAWatchConfigThatDoesNotLoad()
    {
        const QString broken = writeFile(u"broken.yaml"_s, "scan_intervall: 5s\n");
        QString loaderError;
        QVERIFY(!Pitwall::WatchConfig::load(broken, QProcessEnvironment::systemEnvironment(),
                                            m_dir.path(), &loaderError));

        SettingsDialog dialog(m_dir.path());
        dialog.show();
        submit(dialog, true, broken);
        QVERIFY(dialog.isVisible());
        QVERIFY2(errorText(dialog).contains(loaderError), qPrintable(errorText(dialog)));
        QVERIFY(errorText(dialog).contains(u"scan_intervall: unknown key"_s));
        QVERIFY(!ConsoleSettings().watchEnabled());
        QCOMPARE(ConsoleSettings().watchConfigFile(), QString());
    }

    void refusesToEnableWithoutAFile()
    {
        SettingsDialog dialog(m_dir.path());
        dialog.show();
        submit(dialog, true, u"  "_s);
        QVERIFY(dialog.isVisible());
        QVERIFY(!errorText(dialog).isEmpty());
        QVERIFY(!ConsoleSettings().watchEnabled());
    }

    void storesAValidWatchConfig()
    {
        const QString valid = writeFile(u"watch-config.yaml"_s, "scan_interval: 5s\n");
        SettingsDialog dialog(m_dir.path());
        dialog.show();
        submit(dialog, true, valid);
        QVERIFY(!dialog.isVisible());
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QVERIFY(ConsoleSettings().watchEnabled());
        QCOMPARE(ConsoleSettings().enabledWatchConfigFile(), valid);

        // Opened again, the dialog shows what is stored.
        SettingsDialog again(m_dir.path());
        QVERIFY(again.findChild<QCheckBox *>(u"watchEnabled"_s)->isChecked());
        QCOMPARE(again.findChild<QLineEdit *>(u"watchConfigFile"_s)->text(), valid);
    }

    void browseFillsInTheChosenFile()
    {
        const QString valid = writeFile(u"chosen.yaml"_s, "scan_interval: 5s\n");
        SettingsDialog dialog(m_dir.path());
        dialog.show();
        QTest::mouseClick(dialog.findChild<QPushButton *>(u"browseWatchConfig"_s), Qt::LeftButton);
        auto *files = dialog.findChild<QFileDialog *>();
        QVERIFY(files);
        QVERIFY(files->isVisible());
        files->selectFile(valid);
        static_cast<QDialog *>(files)->accept(); // QFileDialog::accept() is protected
        QCOMPARE(dialog.findChild<QLineEdit *>(u"watchConfigFile"_s)->text(), valid);
    }

    // Switching the scanner off must work even when the file is what broke.
    void switchingOffNeedsNoLoadableFile()
    {
        const QString broken = writeFile(u"broken.yaml"_s, "scan_intervall: 5s\n");
        ConsoleSettings().setWatch(true, broken);
        SettingsDialog dialog(m_dir.path());
        dialog.show();
        submit(dialog, false, broken);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QVERIFY(!ConsoleSettings().watchEnabled());
        QCOMPARE(ConsoleSettings().watchConfigFile(), broken);
        QCOMPARE(ConsoleSettings().enabledWatchConfigFile(), QString());
    }

    // The choice is stored for the next start; the dialog says so.
    void storesTheLanguageForTheNextStart()
    {
        SettingsDialog dialog(m_dir.path());
        auto *language = dialog.findChild<QComboBox *>(u"language"_s);
        QVERIFY(language);
        QCOMPARE(language->currentData().toString(), QString()); // the system's
        const int german = language->findData(u"de"_s);
        QVERIFY(german > 0);
        QCOMPARE(language->itemText(german), u"Deutsch"_s);
        QVERIFY(language->findData(u"en"_s) > 0);
        const QList<QLabel *> labels = dialog.findChildren<QLabel *>();
        QVERIFY(std::any_of(labels.cbegin(), labels.cend(), [](const QLabel *label) {
            return label->text().startsWith(u"The new language is used the next time"_s);
        }));
        language->setCurrentIndex(german);
        submit(dialog, false, QString());
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(ConsoleSettings().language(), u"de"_s);

        SettingsDialog again(m_dir.path());
        QCOMPARE(again.findChild<QComboBox *>(u"language"_s)->currentData().toString(), u"de"_s);
        again.findChild<QComboBox *>(u"language"_s)->setCurrentIndex(0);
        submit(again, false, QString());
        QCOMPARE(ConsoleSettings().language(), QString());
    }
};

QTEST_MAIN(SettingsDialogTest)
#include "settingsdialog.moc"
