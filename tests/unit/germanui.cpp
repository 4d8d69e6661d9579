// The console in German: registered with LANG=de_DE.UTF-8 and no LC_ALL/LC_MESSAGES/LANGUAGE
// (tests/unit/CMakeLists.txt), so the system locale alone picks the catalogue, as on a German
// desktop. The language chosen in Settings and PITWALL_LANG override it.
#include "consolesettings.h"
#include "core/config/configloader.h"
#include "core/enginehost.h"
#include "mainwindow.h"
#include "translations.h"

#include <QApplication>
#include <QMenuBar>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

using namespace Qt::StringLiterals;

class GermanUiTest final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    static QStringList menuTitles(const QMainWindow &window)
    {
        QStringList titles;
        for (const QAction *action : window.menuBar()->actions())
            titles.append(action->text());
        return titles;
    }

    static void removeTranslators()
    {
        for (QTranslator *translator : qApp->findChildren<QTranslator *>()) {
            QCoreApplication::removeTranslator(translator);
            delete translator;
        }
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.path());
        QCOMPARE(QLocale::system().language(), QLocale::German);
    }

    void cleanup() { removeTranslators(); }

    void menusAreGermanUnderAGermanLocale()
    {
        Pitwall::installTranslations(*qApp);
        Pitwall::AppConfig config = Pitwall::ConfigLoader::defaults();
        config.dataDir = m_dir.path();
        config.bindPort = 0;
        Pitwall::EngineHost host(config, nullptr);
        QString error;
        QVERIFY2(host.start(&error), qPrintable(error));
        Pitwall::MainWindow window(host);
        QCOMPARE(menuTitles(window), (QStringList{u"&Datei"_s, u"&Ansicht"_s}));
        QVERIFY(window.findChild<QAction *>(u"resetLayoutAction"_s)->text() != u"&Reset layout"_s);
        host.stop();
    }

    void settingsOverrideTheSystemLocale()
    {
        Pitwall::ConsoleSettings().setLanguage(u"en"_s);
        Pitwall::installTranslations(*qApp);
        QCOMPARE(QCoreApplication::translate("Pitwall::MainWindow", "&File"), u"&File"_s);
        Pitwall::ConsoleSettings().setLanguage({});
    }

    void availableLanguagesListTheCompiledCatalogues()
    {
        QCOMPARE(Pitwall::availableLanguages(), (QStringList{u"en"_s, u"de"_s}));
    }
};

QTEST_MAIN(GermanUiTest)
#include "germanui.moc"
