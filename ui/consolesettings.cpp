#include "consolesettings.h"

using namespace Qt::StringLiterals;

namespace Pitwall {

namespace {

const QString WatchEnabledKey = u"watch/enabled"_s;
const QString WatchConfigFileKey = u"watch/config_file"_s;
const QString LanguageKey = u"ui/language"_s;
const QString WindowGeometryKey = u"window/geometry"_s;
const QString WindowStateKey = u"window/state"_s;

} // namespace

ConsoleSettings::ConsoleSettings()
    : m_settings(u"pitwall"_s, u"pitwall"_s)
{
}

bool ConsoleSettings::watchEnabled() const
{
    return m_settings.value(WatchEnabledKey, false).toBool();
}

QString ConsoleSettings::watchConfigFile() const
{
    return m_settings.value(WatchConfigFileKey).toString();
}

QString ConsoleSettings::enabledWatchConfigFile() const
{
    return watchEnabled() ? watchConfigFile() : QString();
}

void ConsoleSettings::setWatch(bool enabled, const QString &configFile)
{
    m_settings.setValue(WatchEnabledKey, enabled);
    m_settings.setValue(WatchConfigFileKey, configFile);
}

QString ConsoleSettings::language() const
{
    return m_settings.value(LanguageKey).toString();
}

void ConsoleSettings::setLanguage(const QString &language)
{
    if (language.isEmpty())
        m_settings.remove(LanguageKey);
    else
        m_settings.setValue(LanguageKey, language);
}

QByteArray ConsoleSettings::windowGeometry() const
{
    return m_settings.value(WindowGeometryKey).toByteArray();
}

QByteArray ConsoleSettings::windowState() const
{
    return m_settings.value(WindowStateKey).toByteArray();
}

void ConsoleSettings::setWindowLayout(const QByteArray &geometry, const QByteArray &state)
{
    m_settings.setValue(WindowGeometryKey, geometry);
    m_settings.setValue(WindowStateKey, state);
}

} // namespace Pitwall
