#include "settingsdialog.h"

#include "consolesettings.h"
#include "translations.h"
#include "watch/watchconfig.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProcessEnvironment>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Pitwall {

SettingsDialog::SettingsDialog(QString dataDir, QWidget *parent)
    : QDialog(parent)
    , m_dataDir(std::move(dataDir))
{
    setObjectName(u"SettingsDialog"_s);
    setWindowTitle(tr("Settings"));

    const ConsoleSettings settings;
    m_watchEnabled = new QCheckBox(tr("Govern ffmpeg/GStreamer processes (watch scanner)"));
    m_watchEnabled->setObjectName(u"watchEnabled"_s);
    m_watchEnabled->setChecked(settings.watchEnabled());
    m_watchConfigFile = new QLineEdit(settings.watchConfigFile());
    m_watchConfigFile->setObjectName(u"watchConfigFile"_s);
    auto *browse = new QPushButton(tr("Browse…"));
    browse->setObjectName(u"browseWatchConfig"_s);
    connect(browse, &QPushButton::clicked, this, &SettingsDialog::browseWatchConfig);

    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_watchConfigFile, 1);
    fileRow->addWidget(browse);
    auto *watchForm = new QFormLayout;
    watchForm->addRow(m_watchEnabled);
    watchForm->addRow(tr("Configuration file:"), fileRow);
    // Honest about when a change counts: the engines are built once, at start-up.
    auto *note = new QLabel(tr("Changes take effect the next time the console starts. A watch "
                               "configuration given with --watch-config or WATCH_CONFIG is used "
                               "instead of this one. To re-read the file of a running watch "
                               "scanner, use File > Reload watch configuration."));
    note->setWordWrap(true);
    watchForm->addRow(note);
    auto *watchGroup = new QGroupBox(tr("Watch scanner"));
    watchGroup->setLayout(watchForm);
    QGroupBox *languageGroup = createLanguageGroup(settings.language());

    m_error = new QLabel;
    m_error->setObjectName(u"settingsError"_s);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(languageGroup);
    layout->addWidget(watchGroup);
    layout->addWidget(m_error);
    layout->addStretch();
    layout->addWidget(buttons);
    resize(560, sizeHint().height());
}

SettingsDialog::~SettingsDialog() = default;

void SettingsDialog::accept()
{
    const QString entered = m_watchConfigFile->text().trimmed();
    // Absolute, like --watch-config: the console may start from another working directory.
    const QString file = entered.isEmpty() ? QString() : QFileInfo(entered).absoluteFilePath();
    const bool enabled = m_watchEnabled->isChecked();
    if (enabled) {
        if (file.isEmpty()) {
            showError(tr("Choose a watch configuration file to enable the watch scanner."));
            return;
        }
        QString error;
        if (!WatchConfig::load(file, QProcessEnvironment::systemEnvironment(), m_dataDir,
                               &error)) {
            showError(tr("The watch configuration does not load: %1").arg(error));
            return;
        }
    }
    ConsoleSettings settings;
    settings.setWatch(enabled, file);
    settings.setLanguage(m_language->currentData().toString());
    QDialog::accept();
}

QGroupBox *SettingsDialog::createLanguageGroup(const QString &current)
{
    m_language = new QComboBox;
    m_language->setObjectName(u"language"_s);
    m_language->addItem(tr("System default (%1)").arg(QLocale::system().nativeLanguageName()),
                        QString());
    for (const QString &name : availableLanguages())
        m_language->addItem(QLocale(name).nativeLanguageName(), name);
    // A language stored by a build that had more catalogues stays selected rather than lost.
    if (m_language->findData(current) < 0)
        m_language->addItem(current, current);
    m_language->setCurrentIndex(m_language->findData(current));

    auto *form = new QFormLayout;
    form->addRow(tr("Language:"), m_language);
    // Translations are installed once, before the first window exists.
    auto *note = new QLabel(tr("The new language is used the next time the console starts. "
                               "PITWALL_LANG in the environment overrides this choice."));
    note->setWordWrap(true);
    form->addRow(note);
    auto *group = new QGroupBox(tr("Language"));
    group->setLayout(form);
    return group;
}

void SettingsDialog::browseWatchConfig()
{
    // open(), not exec(): no nested event loop, the console keeps serving its queued signals.
    auto *dialog = new QFileDialog(this, tr("Watch configuration file"),
                                   QFileInfo(m_watchConfigFile->text()).absolutePath(),
                                   tr("YAML files (*.yaml *.yml);;All files (*)"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    connect(dialog, &QFileDialog::fileSelected, m_watchConfigFile, &QLineEdit::setText);
    dialog->open();
}

void SettingsDialog::showError(const QString &message)
{
    m_error->setText(message);
    m_error->show();
}

} // namespace Pitwall
