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


# The built-in facts, in profile order: name, table, type, code list (- for none), flags
# (c: changeable — a business could make a failing condition on it hold; d: derived — computed
# from the others, never read from a profile).
_BUILTIN = """
    name                           business  text   -
    league                         business  code   league
    county                         business  text   -
    area                           business  code   area
    entity_type                    business  code   entity_type
    ownership                      business  code   ownership
    sectors                        business  codes  sectors
    founded                        business  date   -
    employees                      business  int    -
    revenue                        business  money  -
    assets                         business  money  -
    taxable_income                 business  money  -
    vat                            business  code   vat
    certifications                 business  codes  certifications     c
    new_certifications             business  codes  certifications     c
    difficulty                     situation bool   -
    no_layoffs                     situation bool   -                  c
    rents_state_property           situation bool   -
    high_risk_area                 situation bool   -
    first_above_quota              situation bool   -                  c
    above_quota_years              situation int    -
    growth_above_average           situation bool   -                  c
    trucks                         situation int    -
    passenger_station              situation code   passenger_station
    village_parcels                situation int    -                  c
    cloud_spend                    plans     money  -                  c
    equipment_value                plans     money  -                  c
    equipment_min_years            plans     int    -
    equipment_year                 plans     int    -                  c
    ecommerce_transformation       plans     bool   -                  c
    joint_marketing_spend          plans     money  -                  c
    industrial_software_rd         plans     money  -                  c
    first_version_software_sales   plans     money  -                  c
    tech_transfer_deals            plans     money  -                  c
    beds_mode                      plans     code   beds_mode          c
    beds                           plans     int    -                  c
    program_beds_type              plans     code   program_beds_type  c
    program_beds                   plans     int    -                  c
    childcare_slots                plans     int    -                  c
    guarantee_amount               plans     money  -                  c
    procurement_bidding            plans     bool   -                  c
    investment                     plans     money  -                  c
    # derived facts: computed from the above, never read from a profile
    size_class                     derived   code   size_class         d
    sme                            derived   bool   -                  d
    small_low_profit               derived   bool   -                  d
    years_in_business              derived   number -                  d
"""



def _facts_table(text: str) -> dict[str, Fact]:
    out: dict[str, Fact] = {}
    for line in text.splitlines():
        row = line.split("#", 1)[0].split()
        if row:
            name, table, type_, codes, flags = (row + [""])[:5]
            out[name] = Fact(name, table, type_, None if codes == "-" else codes,
                             changeable="c" in flags, derived="d" in flags)
    return out


BUILTIN_FACTS: dict[str, Fact] = _facts_table(_BUILTIN)


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
