//! Forms' texts, zh-CN first and English: what the validator tells a resident about
//! an answer, and what the definition checks tell the organisation about its form.

use crate::i18n::{Lang, Table};

crate::i18n::texts! {
    /// A key into the forms table.
    FormText;
    Required => "这一题必须回答", "This question needs an answer";
    NotInteger => "请填一个整数", "Enter a whole number";
    NotNumber => "请填一个数字", "Enter a number";
    NotDate => "请选一个日期", "Choose a date";
    NotTime => "请填一个时间，如 09:30", "Enter a time, such as 09:30";
    NotPhone => "请填 11 位手机号码", "Enter an 11-digit mobile number";
    NotYesNo => "请选“是”或“否”", "Choose yes or no";
    NotAChoice => "请从选项中选择", "Choose one of the options";
    ChoiceTwice => "同一个选项选了两次", "An option is chosen twice";
    BelowMin => "不能小于 {n}", "Must be at least {n}";
    AboveMax => "不能大于 {n}", "Must be at most {n}";
    TooShort => "至少要写 {n} 个字", "Write at least {n} characters";
    TooLong => "最多只能写 {n} 个字", "Write at most {n} characters";
    TooFewChoices => "至少选 {n} 项", "Choose at least {n}";
    TooManyChoices => "最多选 {n} 项", "Choose at most {n}";
    TooFewRepeats => "至少要填 {n} 份", "Fill in at least {n}";
    TooManyRepeats => "最多只能填 {n} 份", "Fill in at most {n}";
    Constraint => "这个回答不符合要求，请检查", "This answer does not meet the form's rule: please check it";
    Pattern => "请按要求的格式填写", "Write it in the form asked for";
    Submit => "提交", "Submit";
    Next => "下一题", "Next";
    Back => "上一题", "Back";
    StepOf => "第 {n} 题，共 {of} 题", "Question {n} of {of}";
    AddRepeat => "再填一份", "Add another";
    RemoveRepeat => "删除这一份", "Remove this one";
    RepeatItem => "第 {n} 份", "No. {n}";
    FixAbove => "还有 {n} 处需要修改，请看标红的题目", "{n} answers need changing: see the questions marked in red";
    Yes => "是", "Yes";
    No => "否", "No";
    Optional => "（选填）", "(optional)";
    Kind => "表单问卷回答", "Form answers";
    Loading => "正在读取表单…", "Reading the forms…";
    Unavailable => "暂时连不上服务器，请稍后再看", "The server cannot be reached now: look again later";
    NotLinked => "这部手机还没有绑定户码，绑定后才能填写表单", "This phone is not linked to a household yet: link it to answer forms";
    GoLink => "去绑定户码", "Link this phone";
    Offline => "没有网络，显示的是上次看到的表单；填写的内容会保存在手机上，联网后发送", "Offline: these are the forms you saw last; what you answer is kept on this phone and sent when there is a network";
    NoForms => "现在没有需要填写的表单", "There are no forms to answer now";
    Answer => "填写", "Answer";
    HasDraft => "已填了一部分", "Partly answered";
    BackToList => "返回表单列表", "Back to the forms";
    DraftSaved => "已自动保存在手机上", "Kept on this phone as you type";
    DraftFailed => "没能保存在手机上：{reason}", "Could not keep it on this phone: {reason}";
    Kept => "答卷已保存在手机上，联网后自动发送（发送情况见“我的”）", "Your answers are kept on this phone and go out when there is a network (Me shows how they stand)";
    Unknown => "表单里没有这一题（可能表单已更新）", "The form has no such question (it may have been updated)";
}

crate::i18n::texts! {
    /// A key into the forms table of the server and the organisation's pages.
    FormStaffText;
    Closed => "这份表单已经停止收集，您的回答没有提交", "This form no longer takes answers: yours was not submitted";
    Invalid => "第“{path}”题：{problem}", "Question “{path}”: {problem}";
    Title => "表单问卷", "Forms";
    Intro => "社会组织自己设计表单：新建或导入 XLSForm，检查无误后发布，居民在手机上填写（没有网络也能填），这里查看统计、导出 CSV。", "Social organisations make their own forms: start one or import an XLSForm, publish it once it has no problems, residents answer on their phones (offline too), and the counts and CSV exports are here.";
    None => "还没有表单", "No forms yet";
    ColTitle => "表单", "Form";
    ColState => "状态", "State";
    ColVersion => "已发布版本", "Published version";
    ColAnswers => "回答数", "Answers";
    ColUpdated => "最近修改", "Last changed";
    StateDraft => "草稿", "Draft";
    StateOpen => "收集中", "Taking answers";
    StateClosed => "已停止", "Closed";
    New => "新建表单", "New form";
    NewTitle => "表单名称", "Form title";
    NewId => "表单编号（字母开头，用字母、数字、下划线，发布后不变）", "Form id (starts with a letter; letters, digits, underscores; never changes)";
    Create => "新建", "Create";
    Import => "导入 XLSForm", "Import an XLSForm";
    ImportHint => "选 ODK / KoboToolbox 的 .xlsx 文件；或把 survey、choices、settings 三个工作表分别另存为 CSV（UTF-8）上传。", "Choose an ODK / KoboToolbox .xlsx file, or save the survey, choices and settings sheets as CSV (UTF-8) and upload each.";
    ImportFile => "XLSForm 文件（.xlsx）", "XLSForm file (.xlsx)";
    ImportSurvey => "survey 工作表（CSV）", "survey sheet (CSV)";
    ImportChoices => "choices 工作表（CSV，可不选）", "choices sheet (CSV, optional)";
    ImportSettings => "settings 工作表（CSV，可不选）", "settings sheet (CSV, optional)";
    ImportButton => "导入", "Import";
    ImportFailed => "没有导入：请改正下面的问题后再试", "Nothing was imported: correct the problems below and try again";
    ImportNoFile => "请选择一个 .xlsx 文件，或至少上传 survey 工作表的 CSV", "Choose an .xlsx file, or at least the survey sheet as CSV";
    ImportUnreadable => "文件读不出来：{why}", "The file cannot be read: {why}";
    ImportTooBig => "文件太大（最多 4 MB，每个工作表最多 2000 行、60 列）", "The file is too large (4 MB at most, 2,000 rows and 60 columns a sheet)";
    ColSheet => "工作表", "Sheet";
    ColRow => "行", "Row";
    ColColumn => "列", "Column";
    ColProblem => "问题", "Problem";
    Taken => "已有编号为“{id}”的表单，请换一个编号", "A form with the id “{id}” exists: choose another";
    BadId => "编号以字母或下划线开头，只能用字母、数字和 _ - .，最多 50 个字符", "An id starts with a letter or underscore, has only letters, digits and _ - . and at most 50 characters";
    NeedTitle => "请填写表单名称", "Enter the form's title";
    Problems => "发布前要改正的问题", "To correct before publishing";
    NoProblems => "没有发现问题，可以发布", "No problems found: ready to publish";
    ColField => "题目", "Question";
    ColType => "题型", "Type";
    ColRequired => "必答", "Required";
    ColShownWhen => "显示条件", "Shown when";
    Publish => "发布新版本", "Publish a new version";
    Published => "已发布第 {version} 版，居民可以填写了", "Version {version} is published: residents can answer it";
    CannotPublish => "表单还有问题，没有发布", "The form still has problems: not published";
    Close => "停止收集", "Stop taking answers";
    Reopen => "重新开始收集", "Take answers again";
    Duplicate => "复制为新表单", "Duplicate as a new form";
    DownloadJson => "下载 JSON", "Download the JSON";
    UploadJson => "用 JSON 替换草稿", "Replace the draft with JSON";
    JsonField => "表单 JSON", "Form JSON";
    JsonSave => "保存草稿", "Save the draft";
    JsonBad => "JSON 有误：{why}", "The JSON is wrong: {why}";
    Saved => "草稿已保存", "The draft is saved";
    Design => "打开表单设计器（添加、修改题目和显示条件，边改边预览）", "Open the designer (add and change questions and conditions, with a live preview)";
    BuilderMissing => "这次部署没有构建表单设计器（cargo xtask build 会构建它）。现在可以下载、上传 JSON 或导入 XLSForm。", "This deployment was built without the designer (cargo xtask build makes it). The JSON download and upload and the XLSForm import work meanwhile.";
    ChangedElsewhere => "这份草稿在别处（另一个窗口或另一位同事）保存过，这次没有保存，以免覆盖。请重新打开设计器再改。", "This draft was saved elsewhere (another window or colleague) since you opened it: not saved, so nothing is overwritten. Open the designer again and redo the change.";
    MissingSince => "保存请求缺少草稿的修改时间，请刷新页面", "The save did not say which draft it changes: reload the page";
    DefinitionTooBig => "表单 JSON 太大（最多 1 MB）", "The form's JSON is too large (1 MB at most)";
    Answers => "查看回答", "See the answers";
    AnswersTitle => "回答统计", "Answers";
    AnswersNone => "还没有回答", "No answers yet";
    AnswersCount => "共 {n} 份回答", "{n} answers";
    ChoiceCounts => "各选项人数", "Answers per option";
    Answered => "{n} 人回答", "{n} answered";
    Mean => "平均 {mean}", "Mean {mean}";
    CsvAnswers => "导出回答（CSV）", "Export the answers (CSV)";
    CsvRepeat => "导出“{name}”的各份（CSV，用 submission_id 对应）", "Export each “{name}” (CSV, keyed by submission_id)";
    Submissions => "每份回答", "Each answer";
    ColReceived => "收到时间", "Received";
    Delete => "删除这份回答", "Delete this answer";
    DeleteHint => "应填写人要求删除时使用：删除后无法恢复，操作会记入审计日志。", "When a respondent asks for their answer to be deleted: it cannot be undone, and it is recorded in the audit log.";
    Deleted => "这份回答已删除", "The answer is deleted";
    Versions => "已发布的版本", "Published versions";
    TypeText => "单行文字", "Text";
    TypeLongText => "多行文字", "Long text";
    TypeInteger => "整数", "Whole number";
    TypeDecimal => "小数", "Decimal";
    TypeSelectOne => "单选", "Single choice";
    TypeSelectMultiple => "多选", "Multiple choice";
    TypeDate => "日期", "Date";
    TypeTime => "时间", "Time";
    TypePhone => "手机号", "Mobile number";
    TypeYesNo => "是 / 否", "Yes / no";
    TypeRating => "评分", "Rating";
    TypeNote => "说明文字", "Note";
    TypeCalculate => "计算", "Calculation";
    TypeGroup => "分组", "Group";
    TypeRepeat => "重复组", "Repeat";
    Yes => "是", "Yes";
    No => "否", "No";
}

crate::i18n::texts! {
    /// A key into the table of what is wrong with a form's definition or its import,
    /// as the organisation reads it.
    FormCheckText;
    ExprEmpty => "表达式是空的", "The expression is empty";
    ExprUnexpected => "第 {at} 个字符：这里不能用“{c}”", "Character {at}: “{c}” is not allowed here";
    ExprTrailing => "第 {at} 个字符：这里应当是运算符或结尾", "Character {at}: an operator or the end was expected";
    ExprMissingValue => "第 {at} 个字符：这里缺一个值", "Character {at}: a value was expected";
    ExprUnclosed => "第 {at} 个字符：这个“(”没有配对的“)”", "Character {at}: this “(” is not closed";
    ExprUnclosedText => "第 {at} 个字符：这段文字缺少结尾的引号", "Character {at}: this text has no closing quote";
    ExprBadField => "第 {at} 个字符：题目要写成 {example} 这样", "Character {at}: a question is written like {example}";
    ExprUnknownName => "第 {at} 个字符：“{name}”不是表单支持的函数或运算符", "Character {at}: “{name}” is not a function or operator forms support";
    ExprArity => "第 {at} 个字符：{name}() 需要 {n} 个参数", "Character {at}: {name}() takes {n} argument(s)";
    ExprNotAField => "第 {at} 个字符：{name}() 的第一个参数要是一道题，如 {example}", "Character {at}: {name}() needs a question, like {example}";
    BadName => "名称以字母或下划线开头，只能用字母、数字和 _ - .", "A name starts with a letter or underscore and has only letters, digits and _ - .";
    Duplicate => "和“{other}”重名", "Same name as “{other}”";
    Missing => "用到的题目“{name}”不存在", "Uses “{name}”, which is not a question of this form";
    Cycle => "循环依赖：{path}", "Depends on itself: {path}";
    NoCalculation => "计算题要写计算公式", "A calculation needs its formula";
    NoLabel => "要写题目文字", "Needs the text residents read";
    NoChoices => "选择题至少要有一个选项", "A choice question needs at least one option";
    BadChoiceName => "选项值“{name}”要以字母或下划线开头，只能用字母、数字和 _ - .", "The option value “{name}” must start with a letter or underscore and have only letters, digits and _ - .";
    DuplicateChoice => "选项值“{name}”重复了", "The option value “{name}” is listed twice";
    NoFields => "分组里至少要有一道题", "A group needs at least one question";
    NotForType => "这种题型没有这一项", "This type of question has no such setting";
    BadLimit => "这个限制和题型不符（日期题用日期，字数、个数用整数）", "This limit does not fit the type (a date for a date question, a whole number for lengths and counts)";
    MinAboveMax => "最小值大于最大值", "The minimum is above the maximum";
    BadPattern => "格式要求写得不对：{why}", "The pattern is not a regular expression: {why}";
    NoSheet => "找不到 survey 工作表", "There is no survey sheet";
    UnsupportedColumn => "不支持这一列，请删除后再导入", "This column is not supported: delete it and import again";
    UnsupportedType => "不支持题型“{what}”，请删除或改为支持的题型", "The type “{what}” is not supported: delete it or change it to a supported type";
    UnsupportedAppearance => "不支持显示方式“{what}”", "The appearance “{what}” is not supported";
    UnsupportedLanguage => "不支持语言“{what}”，只支持中文和英文", "The language “{what}” is not supported: only Chinese and English";
    UnknownList => "choices 工作表里没有选项列表“{what}”", "The choices sheet has no list “{what}”";
    MissingCell => "这一行缺少题型或名称", "This row has no type or name";
    NotYesNo => "“{what}”不是 yes 或 no", "“{what}” is not yes or no";
    UnmatchedEnd => "这个结束没有对应的开始（或分组和重复组交叉了）", "This end has no matching begin (or a group and a repeat cross)";
    NotEnded => "分组“{what}”没有结束", "The group “{what}” is never ended";
    BadImportId => "“{what}”不能用作编号或版本（编号以字母开头，只用字母、数字和 _ - .，最多 50 个字符；版本最多 40 个字符）", "“{what}” cannot be an id or version (an id starts with a letter and has only letters, digits and _ - ., at most 50 characters; a version at most 40 characters)";
    TooLarge => "表单太大或文字太长：{what}", "The form is too large or a text too long: {what}";
}

crate::i18n::texts! {
    /// A key into the builder's table (the organisation's visual form designer).
    FormBuilderText;
    Title => "设计表单", "Design the form";
    FormTitle => "表单名称", "Form title";
    FormDescription => "表单说明（居民在开头看到，可不填）", "Description (residents read it first; optional)";
    Questions => "题目", "Questions";
    Empty => "还没有题目：在下面选择题型，点“添加题目”", "No questions yet: choose a type below and press Add a question";
    NewQuestion => "新题目", "New question";
    NewChoice => "选项 {n}", "Option {n}";
    AddType => "题型", "Type of question";
    Add => "添加题目", "Add a question";
    AddInside => "在这个分组里添加", "Add to this group";
    MoveUp => "上移", "Move up";
    MoveDown => "下移", "Move down";
    Delete => "删除", "Delete";
    ConfirmDelete => "删除“{label}”吗？", "Delete “{label}”?";
    ConfirmDeleteGroup => "删除“{label}”吗？分组里的题目会一起删除。", "Delete “{label}”? The group's questions go with it.";
    FixFirst => "改正上面列出的问题后才能发布", "Correct the problems listed below to publish";
    Label => "题目文字（中文）", "Question (Chinese)";
    LabelEn => "题目文字（英文，可不填）", "Question (English, optional)";
    Hint => "提示（题目下方的小字，可不填）", "Hint (small print under the question; optional)";
    Name => "字段名（导出表格的列名，字母开头）", "Field name (the export's column; starts with a letter)";
    Required => "必须回答", "Required";
    MinValue => "最小值", "Smallest value";
    MaxValue => "最大值", "Largest value";
    MinLength => "最少字数", "Fewest characters";
    MaxLength => "最多字数", "Most characters";
    MinDate => "最早日期", "Earliest date";
    MaxDate => "最晚日期", "Latest date";
    MinChoices => "最少选几项", "Fewest options";
    MaxChoices => "最多选几项", "Most options";
    MinCount => "最少填几份", "Fewest entries";
    MaxCount => "最多填几份", "Most entries";
    MaxStars => "最高星数（默认 5）", "Most stars (5 unless set)";
    Choices => "选项", "Options";
    ChoiceLabel => "选项文字", "Option text";
    ChoiceName => "选项值（导出用，字母开头）", "Option value (for the export; starts with a letter)";
    AddChoice => "添加选项", "Add an option";
    Shown => "显示条件", "When it is shown";
    Always => "总是显示", "Always";
    When => "满足条件时才显示", "Only when conditions hold";
    All => "以下条件全部满足", "All of these hold";
    Any => "以下条件满足任一个", "Any of these holds";
    AddCondition => "添加条件", "Add a condition";
    NoCandidates => "前面还没有可以作为条件的题目", "There is no question to make a condition of";
    ConditionField => "题目", "Question";
    ConditionCompare => "比较", "Compare";
    ConditionValue => "值", "Value";
    Is => "等于", "is";
    IsNot => "不等于", "is not";
    Includes => "包含", "includes";
    Excludes => "不包含", "does not include";
    Less => "小于", "is less than";
    LessOrEqual => "小于或等于", "is at most";
    Greater => "大于", "is more than";
    GreaterOrEqual => "大于或等于", "is at least";
    Answered => "已回答", "is answered";
    NotAnswered => "未回答", "is not answered";
    Generated => "生成的表达式：", "The expression written:";
    Written => "这个显示条件是手写的表达式，可以直接修改，或改用选择的条件：", "This condition is a written expression: edit it, or pick conditions instead:";
    PickInstead => "改用选择的条件", "Pick conditions instead";
    ConfirmPick => "改用选择的条件会删掉这个手写的表达式，确定吗？", "Picking conditions deletes this written expression: go ahead?";
    Advanced => "更多设置（高级）", "More settings (advanced)";
    Default => "默认答案", "Default answer";
    Constraint => "填写规则（表达式，如 . >= 60）", "Rule for the answer (an expression, such as . >= 60)";
    ConstraintMessage => "不符合规则时的提示", "Message when the rule is not met";
    Calculation => "计算公式（表达式，用题目的字段名计算）", "Formula (an expression over the questions' field names)";
    Pattern => "格式（正则表达式）", "Pattern (a regular expression)";
    PatternMessage => "格式不对时的提示", "Message when the pattern does not match";
    Problems => "发布前要改正的问题：{n} 处（标在题目上）", "To correct before publishing: {n} (marked at the questions)";
    NoProblems => "没有发现问题，可以发布", "No problems found: ready to publish";
    FormProblem => "表单", "The form";
    Preview => "预览：居民看到的样子", "Preview: what residents see";
    PreviewElder => "长辈版预览（一屏一题）", "Elder mode preview (one question a screen)";
    PreviewReset => "清空预览里的回答", "Clear the preview's answers";
    PreviewPassed => "预览：回答都符合要求（预览里的回答不会提交）", "Preview: the answers pass every check (answers in the preview are never sent)";
    Loading => "正在读取表单…", "Reading the form…";
    LoadFailed => "读不到这份表单：{why}", "The form cannot be read: {why}";
    Unsaved => "有修改还没有保存", "There are changes not saved yet";
    Saving => "正在保存…", "Saving…";
    SavedAt => "已保存（{time}）", "Saved ({time})";
    NothingChanged => "草稿和服务器上的一样", "The draft is as the server has it";
    SaveFailed => "没有保存：{why}", "Not saved: {why}";
    Save => "保存草稿", "Save the draft";
    Publish => "保存并发布", "Save and publish";
    DownloadMine => "下载我的版本（JSON，可在表单页上传）", "Download my version (JSON, to upload on the form's page)";
    Overwrite => "用我的版本覆盖", "Overwrite with my version";
    ConfirmOverwrite => "别处保存的修改会被您的版本覆盖，确定吗？", "What was saved elsewhere will be replaced by your version: go ahead?";
    PublishHint => "发布后居民就能填写；以后的修改要再次发布才生效，已收到的回答保留它们的版本。", "Once published residents can answer it; later changes take effect when published again, and answers keep their version.";
    BackToForm => "返回表单页（停止收集、复制、下载 JSON、查看回答）", "Back to the form's page (close, duplicate, JSON, answers)";
    SignedOut => "登录已过期。请在另一个标签页重新登录，再回到这里点“保存”（修改还在本页，先不要关闭）", "your sign-in has expired. Sign in again in another tab, then come back and press Save (your changes are still on this page: keep it open)";
    Network => "连不上服务器。修改还在本页，请检查网络后再点“保存”", "the server cannot be reached. Your changes are still on this page: check the network and press Save again";
    Refused => "服务器没有接受（{status}）。修改还在本页，请稍后再试", "the server refused it ({status}). Your changes are still on this page: try again later";
    Unreadable => "服务器的回答读不懂，请刷新页面", "the server's answer cannot be read: reload the page";
    NeedsValue => "条件还缺一个值", "A condition needs a value";
}

use super::definition::DefinitionProblem;
use super::expr::{ParseError, Problem};
use super::xlsform::ImportProblem;

impl ParseError {
    /// What is wrong and where, in `lang` (positions counted from 1).
    pub fn message(&self, lang: Lang) -> String {
        let at = (self.at + 1).to_string();
        let with = |t: FormCheckText, more: &[(&str, &str)]| {
            let mut args = vec![("at", at.as_str())];
            args.extend_from_slice(more);
            lang.fill(t, &args)
        };
        match &self.problem {
            Problem::Empty => lang.t(FormCheckText::ExprEmpty).to_owned(),
            Problem::Unexpected(c) => with(FormCheckText::ExprUnexpected, &[("c", &c.to_string())]),
            Problem::Trailing => with(FormCheckText::ExprTrailing, &[]),
            Problem::MissingValue => with(FormCheckText::ExprMissingValue, &[]),
            Problem::Unclosed => with(FormCheckText::ExprUnclosed, &[]),
            Problem::UnclosedText => with(FormCheckText::ExprUnclosedText, &[]),
            Problem::BadField => with(FormCheckText::ExprBadField, &[("example", "${age}")]),
            Problem::UnknownName(n) => with(FormCheckText::ExprUnknownName, &[("name", n)]),
            Problem::Arity(n, k) => with(
                FormCheckText::ExprArity,
                &[("name", n), ("n", &k.to_string())],
            ),
            Problem::NotAField(n) => with(
                FormCheckText::ExprNotAField,
                &[("name", n), ("example", "${age}")],
            ),
        }
    }
}

impl DefinitionProblem {
    /// What is wrong, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let t = |k: FormCheckText| lang.t(k).to_owned();
        let name = |k: FormCheckText, n: &str| lang.fill(k, &[("name", n)]);
        match self {
            DefinitionProblem::BadName => t(FormCheckText::BadName),
            DefinitionProblem::Duplicate(other) => {
                lang.fill(FormCheckText::Duplicate, &[("other", other)])
            }
            DefinitionProblem::Expression(e) => e.message(lang),
            DefinitionProblem::Missing(n) => name(FormCheckText::Missing, n),
            DefinitionProblem::Cycle(path) => {
                lang.fill(FormCheckText::Cycle, &[("path", &path.join(" → "))])
            }
            DefinitionProblem::NoCalculation => t(FormCheckText::NoCalculation),
            DefinitionProblem::NoLabel => t(FormCheckText::NoLabel),
            DefinitionProblem::NoChoices => t(FormCheckText::NoChoices),
            DefinitionProblem::BadChoiceName(n) => name(FormCheckText::BadChoiceName, n),
            DefinitionProblem::DuplicateChoice(n) => name(FormCheckText::DuplicateChoice, n),
            DefinitionProblem::NoFields => t(FormCheckText::NoFields),
            DefinitionProblem::NotForType => t(FormCheckText::NotForType),
            DefinitionProblem::BadLimit => t(FormCheckText::BadLimit),
            DefinitionProblem::MinAboveMax => t(FormCheckText::MinAboveMax),
            DefinitionProblem::BadPattern(why) => {
                lang.fill(FormCheckText::BadPattern, &[("why", why)])
            }
        }
    }
}

impl ImportProblem {
    /// What is wrong, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let what = |k: FormCheckText, w: &str| lang.fill(k, &[("what", w)]);
        match self {
            ImportProblem::NoSheet => lang.t(FormCheckText::NoSheet).to_owned(),
            ImportProblem::UnsupportedColumn => lang.t(FormCheckText::UnsupportedColumn).to_owned(),
            ImportProblem::UnsupportedType(w) => what(FormCheckText::UnsupportedType, w),
            ImportProblem::UnsupportedAppearance(w) => {
                what(FormCheckText::UnsupportedAppearance, w)
            }
            ImportProblem::UnsupportedLanguage(w) => what(FormCheckText::UnsupportedLanguage, w),
            ImportProblem::UnknownList(w) => what(FormCheckText::UnknownList, w),
            ImportProblem::Missing => lang.t(FormCheckText::MissingCell).to_owned(),
            ImportProblem::NotYesNo(w) => what(FormCheckText::NotYesNo, w),
            ImportProblem::UnmatchedEnd => lang.t(FormCheckText::UnmatchedEnd).to_owned(),
            ImportProblem::NotEnded(w) => what(FormCheckText::NotEnded, w),
            ImportProblem::Expression(e) => e.message(lang),
            ImportProblem::Definition(p) => p.message(lang),
            ImportProblem::BadId(w) => what(FormCheckText::BadImportId, w),
            ImportProblem::TooLarge(w) => what(FormCheckText::TooLarge, w),
        }
    }
}

impl super::form::Type {
    /// The type's name in the builder.
    pub fn name(self) -> FormStaffText {
        use super::form::Type;
        match self {
            Type::Text => FormStaffText::TypeText,
            Type::LongText => FormStaffText::TypeLongText,
            Type::Integer => FormStaffText::TypeInteger,
            Type::Decimal => FormStaffText::TypeDecimal,
            Type::SelectOne => FormStaffText::TypeSelectOne,
            Type::SelectMultiple => FormStaffText::TypeSelectMultiple,
            Type::Date => FormStaffText::TypeDate,
            Type::Time => FormStaffText::TypeTime,
            Type::Phone => FormStaffText::TypePhone,
            Type::YesNo => FormStaffText::TypeYesNo,
            Type::Rating => FormStaffText::TypeRating,
            Type::Note => FormStaffText::TypeNote,
            Type::Calculate => FormStaffText::TypeCalculate,
            Type::Group => FormStaffText::TypeGroup,
            Type::Repeat => FormStaffText::TypeRepeat,
        }
    }
}
