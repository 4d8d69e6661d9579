#include "translations.h"

#include "core/log/logcategories.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

using namespace Qt::StringLiterals;

namespace Pitwall {

void installTranslations(QCoreApplication &app)
{
    const QString override = qEnvironmentVariable("PITWALL_LANG");
    const QLocale locale = override.isEmpty() ? QLocale::system() : QLocale(override);
    if (locale.language() == QLocale::English || locale.language() == QLocale::C)
        return;

    auto *own = new QTranslator(&app);
    if (own->load(locale, u"pitwall"_s, u"_"_s, u":/i18n"_s))
        QCoreApplication::installTranslator(own);
    else
        qCInfo(lcUi).noquote() << "no Pitwall translation for" << locale.name();

    auto *qt = new QTranslator(&app);
    if (qt->load(locale, u"qtbase"_s, u"_"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
}

} // namespace Pitwall
