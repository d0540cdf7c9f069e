"""The facts a profile can state: the contract's fields, their types and code lists.

Pure data. Labels here are the contract's Chinese labels; other languages come from locales.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Fact types
BOOL, INT, MONEY, NUMBER, DATE, CODE, CODES, TEXT = (
    "bool", "int", "money", "number", "date", "code", "codes", "text")
TYPES = (BOOL, INT, MONEY, NUMBER, DATE, CODE, CODES, TEXT)
NUMERIC = (INT, MONEY, NUMBER)
NUMBER_LIMIT = 10 ** 12    # the largest number a fact, a condition or an amount may hold


def sane_number(value: object) -> bool:
    """A number (not a bool) within ±NUMBER_LIMIT: never nan, inf or a 400-digit integer, which
    would break the arithmetic and formatting downstream."""
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and -NUMBER_LIMIT <= value <= NUMBER_LIMIT)
TABLES = ("business", "situation", "plans")


@dataclass
class Fact:
    name: str
    table: str
    type: str
    codes: str | None = None          # name of the code list for code/codes facts
    changeable: bool = False          # could a business make a failing condition hold?
    derived: bool = False


CODE_LISTS: dict[str, dict[str, str]] = {
    "league": {
        "hohhot": "呼和浩特市", "baotou": "包头市", "wuhai": "乌海市", "chifeng": "赤峰市",
        "tongliao": "通辽市", "ordos": "鄂尔多斯市", "hulunbuir": "呼伦贝尔市",
        "bayannur": "巴彦淖尔市", "ulanqab": "乌兰察布市", "hinggan": "兴安盟",
        "xilingol": "锡林郭勒盟", "alxa": "阿拉善盟",
    },
    "area": {"urban": "城区", "township": "苏木乡镇", "village": "嘎查村"},
    "entity_type": {
        "company": "企业法人", "individual": "个体工商户", "cooperative": "农民专业合作社",
        "nonprofit": "民办非企业/社会服务机构（非营利）",
    },
    "ownership": {"private": "民营", "state": "国有", "foreign": "外资", "collective": "集体"},
    "sectors": {
        "tourism_agency": "旅行社", "scenic_area": "旅游景区", "hotel": "住宿/酒店",
        "homestay": "民宿", "catering": "餐饮", "retail": "零售", "wholesale": "批发",
        "ecommerce": "电子商务", "crossborder_ecommerce": "跨境电商", "freight": "道路货物运输",
        "express": "邮政快递", "cold_chain": "冷链物流", "logistics_park": "物流园区/枢纽",
        "multimodal": "多式联运", "network_freight": "网络货运平台",
        "passenger_transport": "客运（公交、出租、客运站）", "aviation": "航空/机场",
        "elderly_care": "养老服务", "childcare": "托育服务", "housekeeping": "家政/家庭服务",
        "property_service": "物业服务", "health": "医疗/康养", "tech_service": "科技服务",
        "software": "软件和信息技术服务", "manufacturing": "工业/制造业",
        "culture": "文化创意/演艺", "sports": "体育", "hr_service": "人力资源服务",
        "energy_env_service": "节能环保服务", "exhibition": "会展",
        "recycling": "再生资源回收/报废机动车拆解", "auto_trade": "汽车销售/二手车",
        "finance": "金融/类金融机构", "real_estate": "房地产",
        "agriculture": "农牧业/农畜产品加工", "education_training": "教育培训", "other": "其他",
    },
    "vat": {"small_scale": "小规模纳税人", "general": "一般纳税人"},
    "certifications": {
        "innovative_sme": "创新型中小企业", "zjtx_sme": "专精特新中小企业",
        "little_giant": "专精特新「小巨人」企业", "high_tech": "国家高新技术企业",
        "tech_sme": "科技型中小企业", "design_center_national": "国家级工业设计中心",
        "design_center_regional": "自治区级工业设计中心", "a_logistics": "A级物流企业",
        "credit_good": "信用评级「优」或「良好」", "time_honored_china": "中华老字号",
        "time_honored_nmg": "内蒙古老字号", "quality_award": "中国质量奖或提名奖",
        "housekeeping_base": "家政劳务输出基地（商务部认定）",
        "ecommerce_base_national": "国家级电子商务示范基地",
        "ecommerce_base_regional": "自治区级电子商务示范基地",
        "scenic_5a": "国家5A级旅游景区", "resort_national": "国家级旅游度假区",
        "ski_resort_national": "国家级旅游滑雪度假地",
        "leisure_block_national": "国家级旅游休闲街区",
        "night_cluster_national": "国家夜间文化和旅游消费集聚区",
        "multimodal_pilot_top5": "多式联运「一单制」试点评审前五名",
        "fortune500": "世界500强或中国500强企业",
    },
    "passenger_station": {"county": "旗县（市、区）客运站", "township": "苏木乡镇客运站"},
    "beds_mode": {"new": "新建", "expand": "改扩建", "lease": "租赁"},
    "program_beds_type": {"community": "居家社区型", "medical": "医养结合型", "sojourn": "旅居型"},
    "size_class": {"micro": "微型企业", "small": "小型企业", "medium": "中型企业", "large": "大型企业",
                   "not_enterprise": "非企业（民办非企业单位，不按企业划型）"},
}


def _f(name, table, type_, codes=None, changeable=False, derived=False):
    return Fact(name, table, type_, codes, changeable, derived)


BUILTIN_FACTS: dict[str, Fact] = {f.name: f for f in [
    _f("name", "business", TEXT),
    _f("league", "business", CODE, "league"),
    _f("county", "business", TEXT),
    _f("area", "business", CODE, "area"),
    _f("entity_type", "business", CODE, "entity_type"),
    _f("ownership", "business", CODE, "ownership"),
    _f("sectors", "business", CODES, "sectors"),
    _f("founded", "business", DATE),
    _f("employees", "business", INT),
    _f("revenue", "business", MONEY),
    _f("assets", "business", MONEY),
    _f("taxable_income", "business", MONEY),
    _f("vat", "business", CODE, "vat"),
    _f("certifications", "business", CODES, "certifications", changeable=True),
    _f("new_certifications", "business", CODES, "certifications", changeable=True),
    _f("difficulty", "situation", BOOL),
    _f("no_layoffs", "situation", BOOL, changeable=True),
    _f("rents_state_property", "situation", BOOL),
    _f("high_risk_area", "situation", BOOL),
    _f("first_above_quota", "situation", BOOL, changeable=True),
    _f("above_quota_years", "situation", INT),
    _f("growth_above_average", "situation", BOOL, changeable=True),
    _f("trucks", "situation", INT),
    _f("passenger_station", "situation", CODE, "passenger_station"),
    _f("village_parcels", "situation", INT, changeable=True),
    _f("cloud_spend", "plans", MONEY, changeable=True),
    _f("equipment_value", "plans", MONEY, changeable=True),
    _f("equipment_min_years", "plans", INT),
    _f("equipment_year", "plans", INT, changeable=True),
    _f("ecommerce_transformation", "plans", BOOL, changeable=True),
    _f("joint_marketing_spend", "plans", MONEY, changeable=True),
    _f("industrial_software_rd", "plans", MONEY, changeable=True),
    _f("first_version_software_sales", "plans", MONEY, changeable=True),
    _f("tech_transfer_deals", "plans", MONEY, changeable=True),
    _f("beds_mode", "plans", CODE, "beds_mode", changeable=True),
    _f("beds", "plans", INT, changeable=True),
    _f("program_beds_type", "plans", CODE, "program_beds_type", changeable=True),
    _f("program_beds", "plans", INT, changeable=True),
    _f("childcare_slots", "plans", INT, changeable=True),
    _f("guarantee_amount", "plans", MONEY, changeable=True),
    _f("procurement_bidding", "plans", BOOL, changeable=True),
    _f("investment", "plans", MONEY, changeable=True),
    # derived facts: computed from the above, never read from a profile
    _f("size_class", "derived", CODE, "size_class", derived=True),
    _f("sme", "derived", BOOL, derived=True),
    _f("small_low_profit", "derived", BOOL, derived=True),
    _f("years_in_business", "derived", NUMBER, derived=True),
]}


@dataclass
class FactRegistry:
    """Built-in facts plus those a catalog declares; code lists likewise."""
    facts: dict[str, Fact] = field(default_factory=lambda: dict(BUILTIN_FACTS))
    codes: dict[str, dict[str, str]] = field(
        default_factory=lambda: {k: dict(v) for k, v in CODE_LISTS.items()})

    def get(self, name: str) -> Fact | None:
        return self.facts.get(name)

    def code_label(self, list_name: str | None, value: str) -> str:
        if list_name is None:
            return value
        return self.codes.get(list_name, {}).get(value, value)


DEFAULT_REGISTRY = FactRegistry()
