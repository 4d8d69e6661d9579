#include "translations.h"

#include "consolesettings.h"
#include "core/log/logcategories.h"

#include <QCoreApplication>
#include <QDir>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

const QString CatalogueDir = u":/i18n"_s;
const QString CataloguePrefix = u"pitwall_"_s;

QLocale chosenLocale()
{
    QString name = qEnvironmentVariable("PITWALL_LANG");
    if (name.isEmpty())
        name = ConsoleSettings().language();
    return name.isEmpty() ? QLocale::system() : QLocale(name);
}

} // namespace

void installTranslations(QCoreApplication &app)
{
    const QLocale locale = chosenLocale();
    if (locale.language() == QLocale::English || locale.language() == QLocale::C)
        return;

    auto *own = new QTranslator(&app);
    if (own->load(locale, u"pitwall"_s, u"_"_s, CatalogueDir))
        QCoreApplication::installTranslator(own);
    else
        qCInfo(lcUi).noquote() << "no Pitwall translation for" << locale.name();

    auto *qt = new QTranslator(&app);
    if (qt->load(locale, u"qtbase"_s, u"_"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
}

QStringList availableLanguages()
{
    QStringList languages{u"en"_s};
    const QStringList files =
        QDir(CatalogueDir).entryList({CataloguePrefix + u"*.qm"_s}, QDir::Files, QDir::Name);
    for (const QString &file : files)
        languages.append(file.mid(CataloguePrefix.size()).chopped(3));
    return languages;
}

} // namespace Pitwall
